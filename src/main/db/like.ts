/** A LIKE pattern for text anywhere in a column, the wildcards typed taken literally (use with ESCAPE '\'). */
export const containing = (text: string) => `%${text.replace(/[%_\\]/g, (m) => `\\${m}`)}%`;
