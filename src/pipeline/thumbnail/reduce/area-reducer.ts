/**
 * Reduces an image to a smaller grid while its rows are decoded, so the full-size image never exists in
 * memory: every source pixel is added to the cell of the grid it falls in (an area, or box, filter) and a
 * cell's value is the mean of its pixels, weighted by alpha so that the colour of invisible pixels does
 * not bleed into visible ones (the result is straight, not premultiplied, RGBA).
 *
 * Rows of a non-interlaced image arrive in order, so only one row of cells is accumulated at a time and
 * written out when the rows move on (`sequential`); rows of an interlaced image arrive in several passes,
 * so then every cell is accumulated until the end. Sums are 64-bit floats: no overflow at any cell size.
 */
export interface ReducedImage {
  rgba: Uint8Array;
  width: number;
  height: number;
}

export class AreaReducer {
  readonly width: number;
  readonly height: number;
  private readonly out: Uint8Array;
  private readonly cellOfColumn: Uint32Array;
  private readonly columnsInCell: Uint32Array;
  private readonly rowsInCell: Uint32Array;
  private readonly sums: Float64Array;
  private readonly sequential: boolean;
  /** Sequential mode: the grid row being accumulated. */
  private bandRow = 0;

  constructor(
    sourceWidth: number,
    private readonly sourceHeight: number,
    target: { width: number; height: number },
    options: { sequential: boolean },
  ) {
    this.width = target.width;
    this.height = target.height;
    this.sequential = options.sequential;
    this.out = new Uint8Array(this.width * this.height * 4);
    this.cellOfColumn = new Uint32Array(sourceWidth);
    this.columnsInCell = new Uint32Array(this.width);
    for (let x = 0; x < sourceWidth; x++) {
      const cell = Math.floor((x * this.width) / sourceWidth);
      this.cellOfColumn[x] = cell;
      this.columnsInCell[cell] = (this.columnsInCell[cell] ?? 0) + 1;
    }
    this.rowsInCell = new Uint32Array(this.height);
    for (let y = 0; y < sourceHeight; y++) {
      const cell = this.cellOfRow(y);
      this.rowsInCell[cell] = (this.rowsInCell[cell] ?? 0) + 1;
    }
    this.sums = new Float64Array((this.sequential ? 1 : this.height) * this.width * 4);
  }

  /** Bytes of typed arrays this reducer holds (for memory figures). */
  get bytesHeld(): number {
    return (
      this.out.byteLength +
      this.sums.byteLength +
      this.cellOfColumn.byteLength +
      this.columnsInCell.byteLength +
      this.rowsInCell.byteLength
    );
  }

  /**
   * Adds `count` RGBA pixels of source row `y`, the i-th of which is at column `x0 + i * step` (an
   * interlaced pass holds every `step`-th pixel of its rows).
   */
  addRow(y: number, rgba: Uint8Array, count: number, x0 = 0, step = 1): void {
    const cellRow = this.cellOfRow(y);
    if (this.sequential && cellRow !== this.bandRow) {
      this.flushRows(this.bandRow, cellRow);
      this.bandRow = cellRow;
    }
    const sums = this.sums;
    const base = this.sequential ? 0 : cellRow * this.width * 4;
    const cellOfColumn = this.cellOfColumn;
    // Hot loop (every pixel of the image): indexes are in range by construction.
    for (let i = 0, x = x0; i < count; i++, x += step) {
      const p = i * 4;
      const alpha = rgba[p + 3] as number;
      if (alpha === 0) continue;
      const s = base + (cellOfColumn[x] as number) * 4;
      sums[s] = (sums[s] as number) + (rgba[p] as number) * alpha;
      sums[s + 1] = (sums[s + 1] as number) + (rgba[p + 1] as number) * alpha;
      sums[s + 2] = (sums[s + 2] as number) + (rgba[p + 2] as number) * alpha;
      sums[s + 3] = (sums[s + 3] as number) + alpha;
    }
  }

  /** The reduced image, once every row has been added. */
  finish(): ReducedImage {
    if (this.sequential) this.flushRows(this.bandRow, this.height);
    else for (let row = 0; row < this.height; row++) this.writeRow(row, row * this.width * 4);
    return { rgba: this.out, width: this.width, height: this.height };
  }

  private cellOfRow(y: number): number {
    return Math.floor((y * this.height) / this.sourceHeight);
  }

  /** Writes grid row `from` (accumulated) and the empty rows up to `to` (none, unless rows were missing). */
  private flushRows(from: number, to: number): void {
    this.writeRow(from, 0);
    this.sums.fill(0);
    for (let row = from + 1; row < to; row++) this.writeRow(row, 0);
  }

  private writeRow(row: number, sumsAt: number): void {
    const rows = this.rowsInCell[row] ?? 0;
    for (let cell = 0; cell < this.width; cell++) {
      const s = sumsAt + cell * 4;
      const o = (row * this.width + cell) * 4;
      const alphaSum = this.sums[s + 3] ?? 0;
      if (alphaSum === 0) continue; // stays transparent black
      const pixels = rows * (this.columnsInCell[cell] ?? 0);
      this.out[o] = Math.round((this.sums[s] ?? 0) / alphaSum);
      this.out[o + 1] = Math.round((this.sums[s + 1] ?? 0) / alphaSum);
      this.out[o + 2] = Math.round((this.sums[s + 2] ?? 0) / alphaSum);
      this.out[o + 3] = Math.round(alphaSum / pixels);
    }
  }
}
