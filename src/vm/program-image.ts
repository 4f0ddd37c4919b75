/**
 * The loaded form of a guest program, independent of where it came from (ELF or assembler).
 * The upload service derives the program digest from this structure, so it must stay
 * deterministic: segments are sorted by vaddr, never overlap, and carry exactly the bytes the
 * guest sees at start (data followed by memSize - data.length zero bytes).
 */
export interface ImageSegment {
  vaddr: number;
  memSize: number;
  /** Initial bytes from vaddr; memSize >= data.length and the rest of the segment is zero. */
  data: Uint8Array;
  readable: boolean;
  writable: boolean;
  executable: boolean;
}

export interface ProgramImage {
  entry: number;
  /** Sorted by vaddr, non-overlapping. */
  segments: ImageSegment[];
}

/** Sorts segments by address; the digest depends on this order. */
export function sortSegments(segments: ImageSegment[]): ImageSegment[] {
  return [...segments].sort((a, b) => a.vaddr - b.vaddr);
}
