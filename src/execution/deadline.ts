/** Races a promise against a deadline; on expiry aborts the attempt and rejects with the given error. */
export function withDeadline<T>(promise: Promise<T>, ms: number, onExpire: () => Error): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const expiry = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(onExpire()), ms);
  });
  return Promise.race([promise, expiry]).finally(() => clearTimeout(timer));
}
