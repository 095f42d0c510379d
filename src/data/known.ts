/** The public data files Tollway knows: where their publishers keep them and their checksums. */

/** One publicly published data file, recorded with the sha256 of its uncompressed bytes. */
export interface KnownFile {
  /** Dataset id used on the command line, e.g. `caida-as-rel`. */
  dataset: string;
  /** Snapshot date as YYYYMMDD. */
  date: string;
  /** Name of the uncompressed file in the cache (and in ../shared/data). */
  name: string;
  /** The publisher's URL (possibly compressed: .bz2 or .gz). */
  url: string;
  /** sha256 (hex) of the uncompressed file, computed from ../shared/data. */
  sha256: string;
}

/** Files whose checksums are recorded (see ../shared/data/README.md). */
export const KNOWN_FILES: readonly KnownFile[] = [
  {
    dataset: "caida-as-rel",
    date: "20150801",
    name: "20150801.as-rel.txt",
    url: "https://publicdata.caida.org/datasets/as-relationships/serial-1/20150801.as-rel.txt.bz2",
    sha256: "efb20cedab188456f21baf1683c242a2bd3c1469fd9a1aae10b2bf72949bf7e3",
  },
  {
    dataset: "apnic-delegated",
    date: "20150708",
    name: "delegated-apnic-20150708.txt",
    url: "https://ftp.apnic.net/stats/apnic/2015/delegated-apnic-20150708.gz",
    sha256: "205346e5cee5adb36e30e017d31c2e17dcbb2f1840df009cddec5af1758b9691",
  },
];

/** The known file for a dataset and date, or undefined. */
export function findKnown(dataset: string, date: string): KnownFile | undefined {
  return KNOWN_FILES.find((f) => f.dataset === dataset && f.date === date);
}
