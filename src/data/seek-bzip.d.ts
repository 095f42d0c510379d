/** The part of seek-bzip (pure-JavaScript bzip2 decoder, no types published) that Tollway uses. */
declare module "seek-bzip" {
  const Bunzip: {
    /** Decodes a whole bzip2 buffer; with `multistream`, concatenated streams as `bunzip2` does. */
    decode(input: Uint8Array, output?: undefined, multistream?: boolean): Buffer;
  };
  export default Bunzip;
}
