/**
 * "Did you mean ...?" for misspelt names (fields, strategy ids): the known name nearest to the
 * given one by edit distance, when it is near enough to be a likely typo.
 */

/**
 * Levenshtein distance: the fewest single-character insertions, deletions and substitutions
 * that turn `a` into `b`.
 *
 * @example editDistance("perPackets", "perPacket") // 1
 */
export function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const substitution = previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1);
      current.push(Math.min(substitution, previous[j]! + 1, current[j - 1]! + 1));
    }
    previous = current;
  }
  return previous[b.length]!;
}

/**
 * The name in `known` closest to `name` (ignoring case), or undefined when even the closest needs
 * more than a third of the name's characters changed (at least 2 are always allowed). Ties go to
 * the name listed first.
 *
 * @example closestName("perPackets", ["perPacket", "perByte"]) // "perPacket"
 */
export function closestName(name: string, known: readonly string[]): string | undefined {
  const limit = Math.max(2, Math.floor(name.length / 3));
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of known) {
    const distance = editDistance(name.toLowerCase(), candidate.toLowerCase());
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return bestDistance <= limit ? best : undefined;
}
