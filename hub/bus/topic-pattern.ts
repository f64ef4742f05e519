/**
 * AMQP 0-9-1 topic-exchange matching, as RabbitMQ implements it: a routing key and a binding
 * pattern are lists of words separated by "."; in a pattern, a word that is exactly `*` matches
 * exactly one word and a word that is exactly `#` matches zero or more words. Any other word,
 * including `a*`, matches itself literally. The memory transport uses this so that a subscription
 * routes the same events on both transports.
 */

export type TopicMatcher = (routingKey: string) => boolean;

/** Compiles a binding pattern once; the returned function is what runs per routing key. */
export function compileTopicPattern(pattern: string): TopicMatcher {
  // Consecutive `#` words are equivalent to one; collapsing them keeps the matcher linear.
  const words: string[] = [];
  for (const word of pattern.split('.')) {
    if (word === '#' && words[words.length - 1] === '#') continue;
    words.push(word);
  }
  if (words.length === 1 && words[0] === '#') return () => true;
  if (!words.includes('*') && !words.includes('#')) return (routingKey) => routingKey === pattern;
  return (routingKey) => matchWords(words, routingKey.split('.'));
}

/**
 * Iterative glob matching over words with backtracking to the last `#` only, the classic
 * wildcard algorithm: O(pattern × key) in the worst case and no recursion.
 */
function matchWords(pattern: readonly string[], key: readonly string[]): boolean {
  let p = 0;
  let k = 0;
  let hashAt = -1;
  let keyAtHash = 0;
  while (k < key.length) {
    const word = pattern[p];
    if (word === '#') {
      hashAt = p;
      keyAtHash = k;
      p++;
    } else if (word !== undefined && (word === '*' || word === key[k])) {
      p++;
      k++;
    } else if (hashAt >= 0) {
      // Let the last `#` swallow one more word and retry the rest of the pattern after it.
      p = hashAt + 1;
      keyAtHash++;
      k = keyAtHash;
    } else {
      return false;
    }
  }
  while (pattern[p] === '#') p++;
  return p === pattern.length;
}
