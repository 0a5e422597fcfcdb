// Templates: ${NAME} is replaced by a variable's value; $${NAME} stands for a literal ${NAME}.

const PLACEHOLDER = /\$(\$?)\{([^}]*)\}/g;
const VARIABLE_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** A placeholder that names no known variable, with its place in the text (1-based). */
export interface UnknownVariable {
  readonly name: string;
  readonly line: number;
  readonly column: number;
}

/** Renders `text`; `unknown` lists the placeholders that name no variable (they are left as written). */
export function renderTemplate(
  text: string,
  variables: Readonly<Record<string, string>>,
): { text: string; unknown: UnknownVariable[] } {
  const unknown: UnknownVariable[] = [];
  const rendered = text.replace(
    PLACEHOLDER,
    (match, escaped: string, name: string, offset: number) => {
      if (escaped === '$') return match.slice(1);
      const value =
        VARIABLE_NAME.test(name) && Object.hasOwn(variables, name) ? variables[name] : undefined;
      if (value !== undefined) return value;
      unknown.push({ name, ...lineAndColumn(text, offset) });
      return match;
    },
  );
  return { text: rendered, unknown };
}

/** True for a name usable as a variable and as an environment variable. */
export function isVariableName(name: string): boolean {
  return VARIABLE_NAME.test(name);
}

function lineAndColumn(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, offset);
  const line = before.split('\n').length;
  return { line, column: offset - before.lastIndexOf('\n') };
}
