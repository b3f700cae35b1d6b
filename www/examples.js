// The leak demo profiles behind "Load example" (from tests/fixtures/go),
// bundled into the page so loading them makes no request.
import heapT0 from '../tests/fixtures/go/heap_t0.pb.gz';
import heapT1 from '../tests/fixtures/go/heap_t1.pb.gz';
import goroutineT0 from '../tests/fixtures/go/goroutine_t0.pb.gz';
import goroutineT1 from '../tests/fixtures/go/goroutine_t1.pb.gz';

export const examples = [
  { name: 'heap_t0.pb.gz', bytes: heapT0 },
  { name: 'heap_t1.pb.gz', bytes: heapT1 },
  { name: 'goroutine_t0.pb.gz', bytes: goroutineT0 },
  { name: 'goroutine_t1.pb.gz', bytes: goroutineT1 },
];
