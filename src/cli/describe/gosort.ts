// gosort.ts reproduces the order Go's sort.Sort (pattern-defeating quicksort, Go ≥ 1.19) leaves a slice in, so that
// describers sorting with sort.Sort/sort.Slice on keys with ties (events sharing a timestamp) print exactly what
// kubectl prints. Follows go/src/sort/zsortinterface.go; written from its algorithm description, not copied.

const MAX_INSERTION = 12
const SHORTEST_NINTHER = 50
const MAX_SWAPS = 4 * 3
const MASK64 = (1n << 64n) - 1n

type Hint = 'unknown' | 'increasing' | 'decreasing'

function bitLen(n: number): number {
  return n <= 0 ? 0 : Math.floor(Math.log2(n)) + 1
}

/** Sorter holds the slice and the less function, with Go's Interface operations on indexes. */
class Sorter<T> {
  constructor(
    readonly a: T[],
    private readonly lessFn: (x: T, y: T) => boolean,
  ) {}
  less(i: number, j: number): boolean {
    return this.lessFn(this.a[i]!, this.a[j]!)
  }
  swap(i: number, j: number): void {
    const t = this.a[i]!
    this.a[i] = this.a[j]!
    this.a[j] = t
  }
}

function insertionSort<T>(d: Sorter<T>, a: number, b: number): void {
  for (let i = a + 1; i < b; i++) for (let j = i; j > a && d.less(j, j - 1); j--) d.swap(j, j - 1)
}

function siftDown<T>(d: Sorter<T>, lo: number, hi: number, first: number): void {
  let root = lo
  for (;;) {
    let child = 2 * root + 1
    if (child >= hi) return
    if (child + 1 < hi && d.less(first + child, first + child + 1)) child++
    if (!d.less(first + root, first + child)) return
    d.swap(first + root, first + child)
    root = child
  }
}

function heapSort<T>(d: Sorter<T>, a: number, b: number): void {
  const first = a
  const hi = b - a
  for (let i = Math.trunc((hi - 1) / 2); i >= 0; i--) siftDown(d, i, hi, first)
  for (let i = hi - 1; i >= 0; i--) {
    d.swap(first, first + i)
    siftDown(d, 0, i, first)
  }
}

function breakPatterns<T>(d: Sorter<T>, a: number, b: number): void {
  const length = b - a
  if (length < 8) return
  let r = BigInt(length)
  const next = () => {
    r ^= (r << 13n) & MASK64
    r ^= r >> 7n
    r ^= (r << 17n) & MASK64
    return r
  }
  const modulus = BigInt(2 ** bitLen(length))
  const idx = a + Math.trunc(length / 4) * 2 - 1
  for (let i = 0; i < 3; i++) {
    let other = Number(next() & (modulus - 1n))
    if (other >= length) other -= length
    d.swap(idx - 1 + i, a + other)
  }
}

function choosePivot<T>(d: Sorter<T>, a: number, b: number): [number, Hint] {
  const l = b - a
  const swaps = {n: 0}
  const q = Math.trunc(l / 4)
  let i = a + q
  let j = a + q * 2
  let k = a + q * 3
  const order2 = (x: number, y: number): [number, number] => {
    if (d.less(y, x)) {
      swaps.n++
      return [y, x]
    }
    return [x, y]
  }
  // median orders (x, y), then (y, z), then (x, y) again, and returns the middle index.
  const median = (x0: number, y0: number, z0: number): number => {
    const [x1, y1] = order2(x0, y0)
    const [y2] = order2(y1, z0)
    return order2(x1, y2)[1]
  }
  if (l >= 8) {
    if (l >= SHORTEST_NINTHER) {
      i = median(i - 1, i, i + 1)
      j = median(j - 1, j, j + 1)
      k = median(k - 1, k, k + 1)
    }
    j = median(i, j, k)
  }
  if (swaps.n === 0) return [j, 'increasing']
  if (swaps.n === MAX_SWAPS) return [j, 'decreasing']
  return [j, 'unknown']
}

function reverseRange<T>(d: Sorter<T>, a: number, b: number): void {
  for (let i = a, j = b - 1; i < j; i++, j--) d.swap(i, j)
}

function partialInsertionSort<T>(d: Sorter<T>, a: number, b: number): boolean {
  const maxSteps = 5
  const shortestShifting = 50
  let i = a + 1
  for (let step = 0; step < maxSteps; step++) {
    while (i < b && !d.less(i, i - 1)) i++
    if (i === b) return true
    if (b - a < shortestShifting) return false
    d.swap(i, i - 1)
    if (i - a >= 2) {
      for (let j = i - 1; j >= 1; j--) {
        if (!d.less(j, j - 1)) break
        d.swap(j, j - 1)
      }
    }
    if (b - i >= 2) {
      for (let j = i + 1; j < b; j++) {
        if (!d.less(j, j - 1)) break
        d.swap(j, j - 1)
      }
    }
  }
  return false
}

function partitionEqual<T>(d: Sorter<T>, a: number, b: number, pivot: number): number {
  d.swap(a, pivot)
  let i = a + 1
  let j = b - 1
  for (;;) {
    while (i <= j && !d.less(a, i)) i++
    while (i <= j && d.less(a, j)) j--
    if (i > j) break
    d.swap(i, j)
    i++
    j--
  }
  return i
}

function partition<T>(d: Sorter<T>, a: number, b: number, pivot: number): [number, boolean] {
  d.swap(a, pivot)
  let i = a + 1
  let j = b - 1
  while (i <= j && d.less(i, a)) i++
  while (i <= j && !d.less(j, a)) j--
  if (i > j) {
    d.swap(j, a)
    return [j, true]
  }
  d.swap(i, j)
  i++
  j--
  for (;;) {
    while (i <= j && d.less(i, a)) i++
    while (i <= j && !d.less(j, a)) j--
    if (i > j) break
    d.swap(i, j)
    i++
    j--
  }
  d.swap(j, a)
  return [j, false]
}

function pdqsort<T>(d: Sorter<T>, a: number, b: number, limit: number): void {
  let wasBalanced = true
  let wasPartitioned = true
  for (;;) {
    const length = b - a
    if (length <= MAX_INSERTION) {
      insertionSort(d, a, b)
      return
    }
    if (limit === 0) {
      heapSort(d, a, b)
      return
    }
    if (!wasBalanced) {
      breakPatterns(d, a, b)
      limit--
    }
    let [pivot, hint] = choosePivot(d, a, b)
    if (hint === 'decreasing') {
      reverseRange(d, a, b)
      pivot = b - 1 - (pivot - a)
      hint = 'increasing'
    }
    if (wasBalanced && wasPartitioned && hint === 'increasing' && partialInsertionSort(d, a, b)) return
    if (a > 0 && !d.less(a - 1, pivot)) {
      a = partitionEqual(d, a, b, pivot)
      continue
    }
    const [mid, already] = partition(d, a, b, pivot)
    wasPartitioned = already
    const leftLen = mid - a
    const rightLen = b - mid
    const balanceThreshold = Math.trunc(length / 8)
    if (leftLen < rightLen) {
      wasBalanced = leftLen >= balanceThreshold
      pdqsort(d, a, mid, limit)
      a = mid + 1
    } else {
      wasBalanced = rightLen >= balanceThreshold
      pdqsort(d, mid + 1, b, limit)
      b = mid
    }
  }
}

/** goSort returns a copy of items in the order Go's sort.Sort / sort.Slice would leave them for the same less. */
export function goSort<T>(items: readonly T[], less: (a: T, b: T) => boolean): T[] {
  const d = new Sorter([...items], less)
  const n = d.a.length
  if (n > 1) pdqsort(d, 0, n, bitLen(n))
  return d.a
}
