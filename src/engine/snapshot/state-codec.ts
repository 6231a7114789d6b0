// Engine state (plain objects of numbers, strings, booleans, arrays and typed arrays) to a
// JSON text plus one binary blob for the typed arrays, and back. Large arrays stay binary.

const TYPED = {
  Uint8Array,
  Int8Array,
  Uint16Array,
  Int16Array,
  Uint32Array,
  Int32Array,
  Float64Array,
} as const;
type TypedName = keyof typeof TYPED;
type Typed = InstanceType<(typeof TYPED)[TypedName]>;

/** How a typed array is written in the JSON text: its type and where its bytes are in the blob. */
interface TypedRef {
  $typed: TypedName;
  offset: number;
  length: number;
}

export interface EncodedState {
  json: string;
  blob: Uint8Array;
}

function typedName(value: unknown): TypedName | undefined {
  if (!ArrayBuffer.isView(value) || value instanceof DataView) return undefined;
  for (const name of Object.keys(TYPED) as TypedName[]) {
    if (value instanceof TYPED[name]) return name;
  }
  return undefined;
}

/** Encodes `state`; refuses values that would not come back the same (functions, Maps, NaN keys). */
export function encodeState(state: unknown): EncodedState {
  const parts: Uint8Array[] = [];
  const offsets: number[] = [];
  let size = 0;
  const json = JSON.stringify(state, function replacer(this: unknown, key: string, value: unknown) {
    const raw = (this as Record<string, unknown>)[key];
    const name = typedName(raw);
    if (name) {
      const typed = raw as Typed;
      size = (size + 7) & ~7; // keep every array aligned for its element size
      const ref: TypedRef = { $typed: name, offset: size, length: typed.length };
      parts.push(new Uint8Array(typed.buffer, typed.byteOffset, typed.byteLength));
      offsets.push(size);
      size += typed.byteLength;
      return ref;
    }
    if (typeof value === 'function' || value instanceof Map || value instanceof Set) {
      throw new TypeError(`state field '${key}' is not plain data`);
    }
    if (typeof value === 'number' && !Number.isFinite(value)) {
      throw new TypeError(`state field '${key}' is ${value}, which JSON cannot keep`);
    }
    return value;
  });
  const blob = new Uint8Array(size);
  parts.forEach((p, i) => {
    blob.set(p, offsets[i]!);
  });
  return { json, blob };
}

/** Decodes what encodeState wrote; typed arrays are fresh copies, not views of `blob`. */
export function decodeState<T>(json: string, blob: Uint8Array): T {
  return JSON.parse(json, (_key, value: unknown) => {
    if (value && typeof value === 'object' && '$typed' in value) {
      const ref = value as TypedRef;
      const Ctor = TYPED[ref.$typed];
      if (!Ctor) throw new RangeError(`unknown array type '${String(ref.$typed)}'`);
      const bytes = ref.length * Ctor.BYTES_PER_ELEMENT;
      if (ref.offset < 0 || ref.offset + bytes > blob.length) {
        throw new RangeError('an array points outside the state blob');
      }
      // new Uint8Array(view) copies to offset 0 whatever `blob` is (a Node Buffer's slice is a view).
      const copy = new Uint8Array(blob.subarray(ref.offset, ref.offset + bytes));
      return new Ctor(copy.buffer, 0, ref.length);
    }
    return value;
  }) as T;
}
