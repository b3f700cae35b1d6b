// The leak demo profiles behind "Load example" (from tests/fixtures/go):
// the t0 and t1 snapshots of one service's goroutine and heap profiles,
// bundled into the page so loading them makes no request. heap_t1 comes
// last, so it is the one shown first.
import goroutineT0 from '../tests/fixtures/go/goroutine_t0.pb.gz';
import goroutineT1 from '../tests/fixtures/go/goroutine_t1.pb.gz';
import heapT0 from '../tests/fixtures/go/heap_t0.pb.gz';
import heapT1 from '../tests/fixtures/go/heap_t1.pb.gz';

export const examples = [
  { name: 'goroutine_t0.pb.gz', bytes: goroutineT0 },
  { name: 'goroutine_t1.pb.gz', bytes: goroutineT1 },
  { name: 'heap_t0.pb.gz', bytes: heapT0 },
  { name: 'heap_t1.pb.gz', bytes: heapT1 },
];
