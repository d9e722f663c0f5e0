// RFC 4180 CSV: comma-separated fields, double-quoted fields may hold commas, line breaks and doubled quotes ("").
// Returns rows of fields, or a message naming the line where a quoted field never closes.

export type CsvResult = { ok: true; rows: string[][] } | { ok: false; message: string };

export function parseCsv(content: string): CsvResult {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let i = content.charCodeAt(0) === 0xfeff ? 1 : 0;
  let line = 1;
  while (i < content.length) {
    const c = content[i]!;
    if (c === '"' && field === '') {
      const startLine = line;
      i++;
      for (;;) {
        if (i >= content.length)
          return { ok: false, message: `quoted field starting on line ${startLine} is never closed` };
        const q = content[i]!;
        if (q === '"') {
          if (content[i + 1] === '"') {
            field += '"';
            i += 2;
            continue;
          }
          i++;
          break;
        }
        if (q === '\n') line++;
        field += q;
        i++;
      }
      continue;
    }
    if (c === ',') {
      row.push(field);
      field = '';
      i++;
      continue;
    }
    if (c === '\r' || c === '\n') {
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
      i += c === '\r' && content[i + 1] === '\n' ? 2 : 1;
      line++;
      continue;
    }
    field += c;
    i++;
  }
  if (field !== '' || row.length > 0) {
    row.push(field);
    rows.push(row);
  }
  return { ok: true, rows };
}
