import { Alert, Button, Group, Text } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { LoanDetail } from '../../../shared/ipc/loans';
import { useCan } from '../../lib/session';
import { NoticePrintModal } from '../collections/NoticePrintModal';

/**
 * A loan paid off (or settled early) whose title certificates are still in the vault: the certificate-return slip
 * (权证退还签收单) is offered here, where the closing payment was just posted.
 */
export function CertificateReturnNotice({ detail }: { detail: LoanDetail }) {
  const { t } = useTranslation();
  const canPrint = useCan('collections.print');
  const [printing, setPrinting] = useState(false);
  const inVault = detail.collateral.flatMap((c) => c.certificates).filter((x) => x.custody === 'vault');
  if (detail.loan.status !== 'closed' || inVault.length === 0) return null;
  return (
    <Alert color="teal" variant="light" data-testid="certificate-return-offer">
      <Group justify="space-between" wrap="nowrap">
        <Text size="sm">{t('servicing.certificatesToReturn', { count: inVault.length })}</Text>
        {canPrint && (
          <Button size="xs" variant="light" onClick={() => setPrinting(true)}>
            {t('servicing.printCertificateReturn')}
          </Button>
        )}
      </Group>
      {printing && <NoticePrintModal items={[{ loanId: detail.loan.id, docType: 'certificate-return' }]} onClose={() => setPrinting(false)} />}
    </Alert>
  );
}
