/** A config file Patchbay will not edit because it does not parse (it is never "fixed"). */
export class ConfigParseError extends Error {
  constructor(
    readonly format: string,
    detail: string,
  ) {
    super(`the file is not valid ${format.toUpperCase()} (${detail}); Patchbay leaves it as it is: fix it or move it away, then try again`);
    this.name = 'ConfigParseError';
  }
}
