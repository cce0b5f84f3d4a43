import { PoorLinkWatch } from './poor-link-watch';

describe('PoorLinkWatch: audio-only is proposed when a viewer’s video stays poor', () => {
  let acted: string[];
  let watch: PoorLinkWatch;
  beforeEach(() => {
    jest.useFakeTimers();
    acted = [];
    watch = new PoorLinkWatch(4, 8000, (id) => acted.push(id));
  });
  afterEach(() => {
    watch.close();
    jest.useRealTimers();
  });

  it('acts once a low score has lasted 8 s, although it was reported only once (mediasoup reports changes)', () => {
    watch.score('c1', 3);
    jest.advanceTimersByTime(7999);
    expect(acted).toEqual([]);
    jest.advanceTimersByTime(1);
    expect(acted).toEqual(['c1']);
  });

  it('does not act on a dip that recovers within 8 s, and starts counting again at the next drop', () => {
    watch.score('c1', 2);
    jest.advanceTimersByTime(5000);
    watch.score('c1', 9);
    jest.advanceTimersByTime(10000);
    expect(acted).toEqual([]);
    watch.score('c1', 4); // 4 is poor
    jest.advanceTimersByTime(5000);
    watch.score('c1', 1); // still the same drop: the clock is not restarted
    jest.advanceTimersByTime(3000);
    expect(acted).toEqual(['c1']);
  });

  it('acts once per drop; after a recovery a new drop acts again', () => {
    watch.score('c1', 3);
    jest.advanceTimersByTime(8000);
    watch.score('c1', 2);
    jest.advanceTimersByTime(20000);
    expect(acted).toEqual(['c1']);
    watch.score('c1', 10);
    watch.score('c1', 3);
    jest.advanceTimersByTime(8000);
    expect(acted).toEqual(['c1', 'c1']);
  });

  it('keeps each stream apart, and forgets a closed one', () => {
    watch.score('c1', 3);
    jest.advanceTimersByTime(4000);
    watch.score('c2', 3);
    watch.forget('c1');
    jest.advanceTimersByTime(8000);
    expect(acted).toEqual(['c2']);
  });
});
