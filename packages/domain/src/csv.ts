// CSV files the operations team opens in Excel (French settings) or LibreOffice: the admin dashboard's exports
// (orders, payouts, the couriers' register for the town hall). French Excel expects `;` between cells (the comma is
// the decimal separator) and reads UTF-8 only when the file starts with a byte order mark, else "Koné" turns into
// "KonÃ©". Cells are quoted when they hold the separator, a quote, a line break or edge spaces (RFC 4180, quotes
// doubled); lines end with CRLF. A text cell that a spreadsheet would run as a formula (starting with =, @, a tab or
// a carriage return, or + / - followed by anything but a number) gets a leading apostrophe (OWASP "CSV injection"),
// so a name like "=HYPERLINK(…)" typed into a profile stays text; "+225 07 00 00 10 21" and "-500" are left alone.
// Amounts stay plain integers (FCFA) so the spreadsheet can add them up.

export type CsvCell = string | number | null | undefined;

export interface CsvColumn<T> {
  header: string;
  value: (row: T) => CsvCell;
}

export interface CsvOptions {
  /** Cell separator: `;` (default, French Excel) or `,`. */
  separator?: ';' | ',';
  /** Start with a UTF-8 byte order mark (default true). */
  bom?: boolean;
}

export const CSV_BOM = '\ufeff';
const NUMBER_LIKE = /^[+-][\d\s.,]*$/;

/** One cell as written in the file (quoted when needed, formulas neutralised). */
export function csvCell(value: CsvCell, separator: ';' | ',' = ';'): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new RangeError(`a CSV number must be finite, got ${value}`);
    return String(value);
  }
  let text = value;
  if (/^[=@\t\r]/.test(text) || (/^[+-]/.test(text) && !NUMBER_LIKE.test(text))) text = `'${text}`;
  const needsQuotes = text.includes(separator) || text.includes('"') || /[\r\n]/.test(text) || text !== text.trim();
  return needsQuotes ? `"${text.replace(/"/g, '""')}"` : text;
}

/** The whole file: header line, then one line per row, CRLF line ends, BOM first unless told otherwise. */
export function toCsv<T>(rows: readonly T[], columns: readonly CsvColumn<T>[], options: CsvOptions = {}): string {
  const separator = options.separator ?? ';';
  const line = (cells: CsvCell[]) => cells.map((c) => csvCell(c, separator)).join(separator);
  const lines = [line(columns.map((c) => c.header)), ...rows.map((row) => line(columns.map((c) => c.value(row))))];
  return (options.bom === false ? '' : CSV_BOM) + lines.join('\r\n') + '\r\n';
}

/**
 * Reads a CSV file back into rows of cells (BOM dropped, quotes undone, CRLF or LF). For tests and for checking a
 * downloaded export; the apostrophe that neutralised a formula is kept, as a spreadsheet shows it.
 */
export function parseCsv(text: string, separator: ';' | ',' = ';'): string[][] {
  const src = text.startsWith(CSV_BOM) ? text.slice(1) : text;
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < src.length; i += 1) {
    const ch = src[i]!;
    if (quoted) {
      if (ch === '"' && src[i + 1] === '"') {
        cell += '"';
        i += 1;
      } else if (ch === '"') {
        quoted = false;
      } else {
        cell += ch;
      }
    } else if (ch === '"' && cell === '') {
      quoted = true;
    } else if (ch === separator) {
      row.push(cell);
      cell = '';
    } else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && src[i + 1] === '\n') i += 1;
      row.push(cell);
      rows.push(row);
      row = [];
      cell = '';
    } else {
      cell += ch;
    }
  }
  if (quoted) throw new SyntaxError('unterminated quoted cell');
  if (cell !== '' || row.length > 0) {
    row.push(cell);
    rows.push(row);
  }
  return rows;
}
