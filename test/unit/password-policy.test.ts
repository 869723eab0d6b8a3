import { Semaphore } from '../../server/modules/auth/password-hashing';
import { passwordProblems } from '../../server/modules/users/password-policy';

const codes = (password: string, username = 'nguyen.an'): string[] => passwordProblems(password, username).map((p) => p.code);

describe('password policy', () => {
  test('when a password is long, uncommon and without the username, then it has no problem', () => {
    expect(codes('Hà Nội mùa thu 2024')).toEqual([]);
    expect(codes('correct horse battery staple')).toEqual([]);
  });

  test('when a password is short, common, blank or contains the username, then each reason is named at the password', () => {
    expect(codes('12345678')).toEqual(['password_too_short', 'password_common']);
    expect(codes('qwertyuiop')).toEqual(['password_common']);
    expect(codes('PASSWORD123')).toEqual(['password_common']);
    expect(codes('          ')).toEqual(['password_blank']);
    expect(codes('')).toEqual(['password_blank']);
    expect(codes('abc')).toEqual(['password_too_short']);
    expect(codes('my name is Nguyen.An!')).toEqual(['password_contains_username']);
    expect(passwordProblems('abc', 'x', '/password')[0]).toMatchObject({ path: '/password', message: 'must have at least 10 characters (it has 3)' });
  });

  test('when length is counted, then a Vietnamese letter is one character', () => {
    expect(codes('ữữữữữữữữữ')).toEqual(['password_too_short']);
    expect(codes('ữữữữữữữữữữ')).toEqual([]);
  });
});

describe('semaphore', () => {
  test('when more tasks come than it lets run, then the others wait their turn and all finish', async () => {
    const semaphore = new Semaphore(2, 10);
    let running = 0;
    let most = 0;
    const releases: Array<() => void> = [];
    const task = (): Promise<number> =>
      semaphore.run(async () => {
        running += 1;
        most = Math.max(most, running);
        await new Promise<void>((resolve) => releases.push(resolve));
        running -= 1;
        return 1;
      });
    const all = Promise.all([task(), task(), task(), task(), task()]);
    for (let i = 0; i < 5; i += 1) {
      await new Promise((r) => setImmediate(r));
      releases.shift()?.();
    }
    expect(await all).toEqual([1, 1, 1, 1, 1]);
    expect(most).toBe(2);
  });

  test('when the queue is full, then a new task is refused as busy with a Retry-After', async () => {
    const semaphore = new Semaphore(1, 1);
    let release: () => void = () => undefined;
    const first = semaphore.run(() => new Promise<void>((resolve) => (release = resolve)));
    const second = semaphore.run(() => Promise.resolve());
    await expect(semaphore.run(() => Promise.resolve())).rejects.toMatchObject({ code: 'busy', status: 503, retryAfterSeconds: 1 });
    release();
    await Promise.all([first, second]);
  });
});
