/**
 * Segment members travel and rest as roaring bitmaps of customer ids (dense integers from 1),
 * serialized in the portable format that Java, Go and pg_roaringbitmap read as well.
 */
// roaring is CommonJS: Node's ESM loader (the worker under tsx) has no named export for it.
import roaring from "roaring";

export const RoaringBitmap32 = roaring.RoaringBitmap32;
export type RoaringBitmap32 = InstanceType<typeof roaring.RoaringBitmap32>;

export function bitmapToBytes(bitmap: RoaringBitmap32): Uint8Array<ArrayBuffer> {
  const buf = bitmap.serialize("portable");
  return new Uint8Array(buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength) as ArrayBuffer);
}

export function bitmapFromBytes(bytes: Uint8Array): RoaringBitmap32 {
  return RoaringBitmap32.deserialize(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength), "portable");
}
