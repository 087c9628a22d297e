/** POSIX shell text for snippets: single-quoted values, one `export` per line. */

export function shellQuote(value: string): string {
  return `'${value.replace(/'/g, `'\\''`)}'`;
}

export function exportLines(env: Record<string, string>): string {
  return (
    Object.entries(env)
      .map(([name, value]) => `export ${name}=${shellQuote(value)}`)
      .join('\n') + '\n'
  );
}
