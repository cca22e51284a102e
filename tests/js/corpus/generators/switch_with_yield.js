function* machine(events) {
  var state = 'idle', log = [];
  for (var i = 0; i < events.length; i++) {
    switch (state) {
      case 'idle':
        if (events[i] === 'start') { state = 'running'; yield 'started'; }
        break;
      case 'running':
        if (events[i] === 'tick') { log.push(yield 'tick'); continue; }
        if (events[i] === 'stop') state = 'stopped';
      default:
        log.push('fall ' + state);
        yield state;
    }
    log.push('after ' + i);
  }
  return log;
}
function main(input) {
  var it = machine(['noise', 'start', 'tick', 'tick', 'stop', 'x']), r, out = [], n = 0;
  while (!(r = it.next('v' + n++)).done) out.push(r.value);
  out.push(r.value);
  return out;
}
