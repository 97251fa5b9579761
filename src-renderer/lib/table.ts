/** A column of DataTable: key into the row, header label, number alignment, formatter, metric tooltip, colour swatch. */
export interface Column<R> {
  key: string;
  label: string;
  num?: boolean;
  fmt?: (v: unknown, row: R) => string;
  metric?: string;
  swatch?: (row: R) => string;
}
