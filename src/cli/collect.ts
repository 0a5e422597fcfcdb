// Repeatable flags (--var, --limit, --pass-env, ...): each use adds one value. No default list
// is given to commander, so that --help does not print "(default: [])"; readers take `?? []`.

/** Commander's argument parser of a repeatable flag: the values given so far plus this one. */
export function collect(value: string, previous: string[] | undefined): string[] {
  return [...(previous ?? []), value];
}
