import { Button, Group, Paper, Select, SimpleGrid, Stack, Table, Text, Textarea, TextInput, Title } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { CONTACT_KINDS, PARTY_KINDS, RELATIONS, type ContactKind, type PartyKind, type Relation } from '../../../shared/ipc/borrowers';
import { contract } from '../../../shared/ipc/contract';
import { ModalForm } from '../../components/ModalForm';
import { useIpcMutation, useIpcQuery } from '../../lib/data/useIpc';
import { useContractForm } from '../../lib/forms/useContractForm';
import { notifySuccess } from '../../lib/notify';
import { useCan } from '../../lib/session';
import { useUserNames } from '../../lib/userNames';

/** 联系方式与关联人: the borrower's further phones and addresses, and related parties (spouse, heirs, employer…). */
export function RelatedPartiesSection({ borrowerId }: { borrowerId: number }) {
  const { t } = useTranslation();
  const name = useUserNames();
  const canWrite = useCan('portfolio.write');
  const { data } = useIpcQuery('borrowers.contacts', { borrowerId });
  const [adding, setAdding] = useState<'contact' | 'party' | null>(null);
  const [removing, setRemoving] = useState<Removal | null>(null);
  return (
    <Stack gap="xs" data-testid="related-parties">
      <Group justify="space-between">
        <Title order={3} size="h4">
          {t('relatedUi.title')}
        </Title>
        {canWrite && (
          <Group gap="xs">
            <Button size="xs" variant="light" onClick={() => setAdding('contact')}>
              {t('relatedUi.addContact')}
            </Button>
            <Button size="xs" variant="light" onClick={() => setAdding('party')}>
              {t('relatedUi.addParty')}
            </Button>
          </Group>
        )}
      </Group>
      <Paper withBorder p="sm">
        <Stack gap="sm">
          <Text size="sm" fw={600}>
            {t('relatedUi.contacts')}
          </Text>
          {data && data.contacts.length === 0 ? (
            <Text c="dimmed" size="sm">
              {t('relatedUi.contactsEmpty')}
            </Text>
          ) : (
            <Table fz="sm" verticalSpacing={4} striped data-testid="borrower-contacts">
              <Table.Tbody>
                {(data?.contacts ?? []).map((c) => (
                  <Table.Tr key={c.id}>
                    <Table.Td w={90}>{t(`relatedUi.contactKind.${c.kind}`)}</Table.Td>
                    <Table.Td w={140}>{c.label}</Table.Td>
                    <Table.Td>{c.value}</Table.Td>
                    <Table.Td c="dimmed">{c.note}</Table.Td>
                    <Table.Td w={90}>{name(c.createdBy)}</Table.Td>
                    <Table.Td w={70}>
                      {canWrite && (
                        <Button size="compact-xs" variant="subtle" color="red" onClick={() => setRemoving({ kind: 'contact', id: c.id, label: c.value })}>
                          {t('relatedUi.remove')}
                        </Button>
                      )}
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          )}
          <Text size="sm" fw={600}>
            {t('relatedUi.parties')}
          </Text>
          {data && data.relatedParties.length === 0 ? (
            <Text c="dimmed" size="sm">
              {t('relatedUi.partiesEmpty')}
            </Text>
          ) : (
            <Table fz="sm" verticalSpacing={4} striped data-testid="borrower-related-parties">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t('relatedUi.relation')}</Table.Th>
                  <Table.Th>{t('relatedUi.name')}</Table.Th>
                  <Table.Th>{t('relatedUi.idNumber')}</Table.Th>
                  <Table.Th>{t('relatedUi.phone')}</Table.Th>
                  <Table.Th>{t('relatedUi.address')}</Table.Th>
                  <Table.Th>{t('relatedUi.note')}</Table.Th>
                  <Table.Th />
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {(data?.relatedParties ?? []).map((p) => (
                  <Table.Tr key={p.id}>
                    <Table.Td style={{ whiteSpace: 'nowrap' }}>{t(`relatedUi.relationLabel.${p.relation}`)}</Table.Td>
                    <Table.Td>
                      {p.name}
                      {p.kind === 'enterprise' ? ` (${t('relatedUi.partyKindLabel.enterprise')})` : ''}
                    </Table.Td>
                    <Table.Td ff="monospace">{p.idNumber || '—'}</Table.Td>
                    <Table.Td>{p.phone || '—'}</Table.Td>
                    <Table.Td>{p.address || '—'}</Table.Td>
                    <Table.Td c="dimmed">{p.note}</Table.Td>
                    <Table.Td w={70}>
                      {canWrite && (
                        <Button size="compact-xs" variant="subtle" color="red" onClick={() => setRemoving({ kind: 'party', id: p.id, label: p.name })}>
                          {t('relatedUi.remove')}
                        </Button>
                      )}
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          )}
        </Stack>
      </Paper>
      {adding === 'contact' && (
        <ContactModal
          borrowerId={borrowerId}
          onClose={() => setAdding(null)}
          onSaved={() => {
            setAdding(null);
            notifySuccess(t('relatedUi.contactSaved'));
          }}
        />
      )}
      {adding === 'party' && (
        <PartyModal
          borrowerId={borrowerId}
          onClose={() => setAdding(null)}
          onSaved={() => {
            setAdding(null);
            notifySuccess(t('relatedUi.partySaved'));
          }}
        />
      )}
      {removing && <RemoveModal what={removing} onClose={() => setRemoving(null)} />}
    </Stack>
  );
}

const contactSchema = contract['borrowers.addContact'];
const removeSchema = contract['borrowers.removeContact'];

type Removal = { kind: 'contact' | 'party'; id: number; label: string };

/** Removing asks first, with an optional reason (kept with the record, which stays as history). */
function RemoveModal({ what, onClose }: { what: Removal; onClose: () => void }) {
  const { t } = useTranslation();
  const form = useContractForm<{ reason: string }, typeof removeSchema>(removeSchema, { initialValues: { reason: '' }, fixed: { contactId: what.id } });
  const removeContact = useIpcMutation('borrowers.removeContact');
  const removeParty = useIpcMutation('borrowers.removeRelatedParty');
  return (
    <ModalForm
      title={t('relatedUi.removeTitle', { what: what.label })}
      onClose={onClose}
      form={form}
      busy={removeContact.isPending || removeParty.isPending}
      submitLabel={t('relatedUi.remove')}
      submitColor="red"
      cancelLabel={t('portfolio.cancel')}
      onSubmit={async () => {
        const reason = form.values.reason.trim();
        if (what.kind === 'contact') await removeContact.mutateAsync({ contactId: what.id, reason });
        else await removeParty.mutateAsync({ partyId: what.id, reason });
        notifySuccess(t('relatedUi.removed'));
        onClose();
      }}
    >
      <Text size="sm">{t('relatedUi.removeHint')}</Text>
      <Textarea label={t('relatedUi.removeReason')} maxLength={200} autosize minRows={2} data-autofocus {...form.getInputProps('reason')} />
    </ModalForm>
  );
}

function ContactModal({ borrowerId, onClose, onSaved }: { borrowerId: number; onClose: () => void; onSaved: () => void }) {
  const { t } = useTranslation();
  const form = useContractForm<{ kind: ContactKind; label: string; value: string; note: string }, typeof contactSchema>(contactSchema, {
    initialValues: { kind: 'phone', label: '', value: '', note: '' },
    fixed: { borrowerId },
  });
  const add = useIpcMutation('borrowers.addContact');
  return (
    <ModalForm
      title={t('relatedUi.addContact')}
      onClose={onClose}
      form={form}
      busy={add.isPending}
      submitLabel={t('portfolio.save')}
      cancelLabel={t('portfolio.cancel')}
      onSubmit={async () => {
        await add.mutateAsync(form.toInput()!);
        onSaved();
      }}
    >
      <SimpleGrid cols={2}>
        <Select label={t('relatedUi.kind')} required data={CONTACT_KINDS.map((k) => ({ value: k, label: t(`relatedUi.contactKind.${k}`) }))} allowDeselect={false} {...form.getInputProps('kind')} />
        <TextInput label={t('relatedUi.label')} description={t('relatedUi.labelHint')} required maxLength={30} data-autofocus {...form.getInputProps('label')} />
      </SimpleGrid>
      <TextInput label={t('relatedUi.value')} required maxLength={200} {...form.getInputProps('value')} />
      <Textarea label={t('relatedUi.note')} maxLength={300} autosize minRows={1} {...form.getInputProps('note')} />
    </ModalForm>
  );
}

const partySchema = contract['borrowers.addRelatedParty'];

function PartyModal({ borrowerId, onClose, onSaved }: { borrowerId: number; onClose: () => void; onSaved: () => void }) {
  const { t } = useTranslation();
  const form = useContractForm<{ relation: Relation; kind: PartyKind; name: string; idNumber: string; phone: string; address: string; note: string }, typeof partySchema>(partySchema, {
    initialValues: { relation: 'spouse', kind: 'person', name: '', idNumber: '', phone: '', address: '', note: '' },
    fixed: { borrowerId },
  });
  const add = useIpcMutation('borrowers.addRelatedParty');
  return (
    <ModalForm
      title={t('relatedUi.addParty')}
      onClose={onClose}
      form={form}
      busy={add.isPending}
      submitLabel={t('portfolio.save')}
      cancelLabel={t('portfolio.cancel')}
      onSubmit={async () => {
        await add.mutateAsync(form.toInput()!);
        onSaved();
      }}
    >
      <SimpleGrid cols={2}>
        <Select label={t('relatedUi.relation')} required data={RELATIONS.map((r) => ({ value: r, label: t(`relatedUi.relationLabel.${r}`) }))} allowDeselect={false} {...form.getInputProps('relation')} />
        <Select label={t('relatedUi.partyKind')} required data={PARTY_KINDS.map((k) => ({ value: k, label: t(`relatedUi.partyKindLabel.${k}`) }))} allowDeselect={false} {...form.getInputProps('kind')} />
        <TextInput label={t('relatedUi.name')} required maxLength={100} data-autofocus {...form.getInputProps('name')} />
        <TextInput label={t('relatedUi.phone')} maxLength={30} {...form.getInputProps('phone')} />
      </SimpleGrid>
      <TextInput label={t('relatedUi.idNumber')} description={t('relatedUi.idNumberHint')} maxLength={18} {...form.getInputProps('idNumber')} />
      <TextInput label={t('relatedUi.address')} maxLength={200} {...form.getInputProps('address')} />
      <Textarea label={t('relatedUi.note')} maxLength={500} autosize minRows={1} {...form.getInputProps('note')} />
    </ModalForm>
  );
}
