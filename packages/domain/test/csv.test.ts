import { describe, expect, it } from 'vitest';
import { CSV_BOM, csvCell, parseCsv, toCsv, type CsvColumn } from '../src/csv.ts';

interface Row {
  name: string;
  phone: string;
  total: number;
  note: string | null;
}
const columns: CsvColumn<Row>[] = [
  { header: 'Nom', value: (r) => r.name },
  { header: 'Téléphone', value: (r) => r.phone },
  { header: 'Total (FCFA)', value: (r) => r.total },
  { header: 'Note', value: (r) => r.note },
];

describe('toCsv', () => {
  it('starts with a BOM, separates with ";" and ends lines with CRLF, for French Excel', () => {
    const csv = toCsv([{ name: 'Awa Koné', phone: '+225 07 00 00 10 21', total: 1500, note: null }], columns);
    expect(csv).toBe(`${CSV_BOM}Nom;Téléphone;Total (FCFA);Note\r\nAwa Koné;+225 07 00 00 10 21;1500;\r\n`);
  });

  it('quotes cells holding the separator, quotes, line breaks or edge spaces, and doubles the quotes', () => {
    expect(csvCell('Maquis; chez Tantie')).toBe('"Maquis; chez Tantie"');
    expect(csvCell('Le "garba" était froid')).toBe('"Le ""garba"" était froid"');
    expect(csvCell('ligne 1\nligne 2')).toBe('"ligne 1\nligne 2"');
    expect(csvCell(' repère ')).toBe('" repère "');
    expect(csvCell('a,b')).toBe('a,b');
    expect(csvCell('a,b', ',')).toBe('"a,b"');
  });

  it('neutralises formulas but leaves phone numbers and signed numbers alone', () => {
    expect(csvCell('=HYPERLINK("http://x")')).toBe(`"'=HYPERLINK(""http://x"")"`);
    expect(csvCell('@SUM(A1)')).toBe(`'@SUM(A1)`);
    expect(csvCell('+cmd|calc')).toBe(`'+cmd|calc`);
    expect(csvCell('-2+3')).toBe(`'-2+3`);
    expect(csvCell('+2250700001021')).toBe('+2250700001021');
    expect(csvCell('-500')).toBe('-500');
  });

  it('writes empty cells for null and undefined, integers as they are, and refuses non-finite numbers', () => {
    expect(csvCell(null)).toBe('');
    expect(csvCell(undefined)).toBe('');
    expect(csvCell(0)).toBe('0');
    expect(csvCell(-1200)).toBe('-1200');
    expect(() => csvCell(Number.NaN)).toThrow(RangeError);
  });

  it('can leave the BOM out and use commas', () => {
    expect(toCsv([{ name: 'A, B', phone: '', total: 1, note: 'x' }], columns, { bom: false, separator: ',' })).toBe(
      'Nom,Téléphone,Total (FCFA),Note\r\n"A, B",,1,x\r\n',
    );
  });

  it('writes only the header for no rows', () => {
    expect(toCsv([], columns)).toBe(`${CSV_BOM}Nom;Téléphone;Total (FCFA);Note\r\n`);
  });
});

describe('parseCsv', () => {
  it('reads back what toCsv wrote, quotes and line breaks included', () => {
    const rows: Row[] = [
      { name: 'Awa "la grande" Koné', phone: '+2250700001021', total: 2500, note: 'sonner;deux fois\nau portail' },
      { name: 'Kouadio', phone: '', total: 0, note: null },
    ];
    expect(parseCsv(toCsv(rows, columns))).toEqual([
      ['Nom', 'Téléphone', 'Total (FCFA)', 'Note'],
      ['Awa "la grande" Koné', '+2250700001021', '2500', 'sonner;deux fois\nau portail'],
      ['Kouadio', '', '0', ''],
    ]);
  });

  it('accepts LF line ends and a last line without one, and refuses an unterminated quote', () => {
    expect(parseCsv('a;b\n1;2')).toEqual([
      ['a', 'b'],
      ['1', '2'],
    ]);
    expect(() => parseCsv('a;"b\n1;2')).toThrow(SyntaxError);
  });
});
