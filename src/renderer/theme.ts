import { Badge, CheckboxGroup, createTheme, MultiSelect, NumberInput, PasswordInput, Select, Textarea, TextInput } from '@mantine/core';
import { DateInput } from '@mantine/dates';

const CJK_SANS = '"Microsoft YaHei", "PingFang SC", "Noto Sans CJK SC", "Noto Sans SC"';

const requiredByCss = {
  defaultProps: { withAsterisk: false },
  classNames: (_theme: unknown, props: { required?: boolean }) => ({ label: props.required ? 'lk-required' : undefined }),
};

export const theme = createTheme({
  primaryColor: 'blue',
  fontFamily: `-apple-system, BlinkMacSystemFont, "Segoe UI", ${CJK_SANS}, Roboto, Helvetica, Arial, sans-serif`,
  fontFamilyMonospace: `Consolas, "Cascadia Mono", "DejaVu Sans Mono", "Noto Sans Mono CJK SC", monospace`,
  headings: { fontFamily: `-apple-system, BlinkMacSystemFont, "Segoe UI", ${CJK_SANS}, sans-serif` },
  defaultRadius: 'sm',
  components: {
    TextInput: TextInput.extend(requiredByCss),
    PasswordInput: PasswordInput.extend(requiredByCss),
    Textarea: Textarea.extend(requiredByCss),
    NumberInput: NumberInput.extend(requiredByCss),
    MultiSelect: MultiSelect.extend(requiredByCss),
    Select: Select.extend(requiredByCss),
    CheckboxGroup: CheckboxGroup.extend(requiredByCss),
    DateInput: DateInput.extend(requiredByCss),
    Badge: Badge.extend({ styles: { label: { textTransform: 'none' } } }),
  },
});
