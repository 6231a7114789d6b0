// TextEncoder and TextDecoder exist in every runtime the engine runs in (Node, browsers,
// workers) but belong to neither ES2022 nor a lib the engine may include; declare just them.
declare class TextEncoder {
  encode(input?: string): Uint8Array;
}
declare class TextDecoder {
  constructor(label?: string, options?: { fatal?: boolean });
  decode(input?: Uint8Array, options?: { stream?: boolean }): string;
}
