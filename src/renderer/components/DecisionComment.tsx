import { Textarea, type TextareaProps } from '@mantine/core';
import { useTranslation } from 'react-i18next';

/**
 * The comment on an approve/reject decision: optional when approving, required when rejecting (the contract's
 * `decision` rule). Ctrl+Enter submits, as in every ModalForm.
 */
export function DecisionComment({ approve, ...props }: { approve: boolean } & TextareaProps) {
  const { t } = useTranslation();
  return <Textarea required={!approve} description={approve ? t('forms.commentOptional') : t('forms.commentRequired')} autosize minRows={2} data-autofocus {...props} />;
}
