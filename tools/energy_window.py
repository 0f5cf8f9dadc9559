"""Energy per image over a window of synchronous batches, from a GPU energy counter that moves in steps.

The NVML total-energy counter of an H100 changes only every ~100 ms. Energy read at two arbitrary instants
is off by up to one step at each end (10 % of a 2 s window); energy between two observed steps is exact up
to the poll period. So: poll the counter in a thread, keep each change with its time (CounterEdges), and
divide the energy between the first and last change inside the window by the images completed between
those two instants (joules_per_image; a window in which the counter falls, as a driver reload restarts it, has none).
Pure arithmetic and a thread; no torch, no NVML import: the exporter
passes the counter read function in, and test_energy_window.py checks the arithmetic on a recorded trace.
"""
import threading
import time


def images_at(marks, t):
    """Images completed at time t, interpolated between the batch completions marks = [(time, images)]."""
    if t <= marks[0][0]:
        return marks[0][1]
    for (ta, na), (tb, nb) in zip(marks, marks[1:]):
        if ta <= t <= tb:
            return na + (nb - na) * (t - ta) / (tb - ta) if tb > ta else nb
    return marks[-1][1]


class CounterWentBack(ValueError):
    """The counter fell between two of a window's changes (a driver reload restarts it): the difference of its values is
    no energy, and a negative one would read as the least energy per image of all."""


def joules_per_image(edges, marks):
    """edges: [(time, counter mJ)] at each counter change; marks: [(time, images completed)] of one window,
    first mark = window start with 0 images. None when fewer than two changes fall inside the window;
    CounterWentBack, in one line, where the counter fell inside it."""
    inside = [e for e in edges if marks[0][0] <= e[0] <= marks[-1][0]]
    if len(inside) < 2:
        return None
    fell = next(((a, b) for (_, a), (_, b) in zip(inside, inside[1:]) if b < a), None)
    if fell:
        raise CounterWentBack("the energy counter went back from %d mJ to %d mJ inside the window (a driver reload?), so"
                              " its energy is unknown" % fell)
    (t0, e0), (t1, e1) = inside[0], inside[-1]
    images = images_at(marks, t1) - images_at(marks, t0)
    return (e1 - e0) / 1000.0 / images if images > 0 else None


class CounterEdges(threading.Thread):
    """Calls read() (the counter in mJ) every ~0.5 ms and appends (time.perf_counter(), value) to edges
    whenever the value differs from the read before it. Daemon thread: start() it once, stop() it when done."""

    def __init__(self, read, clock=time.perf_counter, period=0.0005):
        super().__init__(daemon=True)
        self.read, self.clock, self.period = read, clock, period
        self.edges, self._stopped = [], threading.Event()

    def run(self):
        last = None
        while not self._stopped.is_set():
            try:
                value = self.read()
            except Exception:  # one failed read (a driver hiccup) is a missing sample, not the end of sampling
                time.sleep(self.period)
                continue
            # the first read is no change: the counter stepped at some unknown time before it, so it is no edge (as the
            # profiler's gpuenergy.energy.EnergyCounterWindow takes none from its first sample)
            if last is not None and value != last:
                self.edges.append((self.clock(), value))
            last = value
            time.sleep(self.period)

    def stop(self):
        self._stopped.set()
        self.join()

    def joules_per_image(self, marks):
        return joules_per_image(list(self.edges), marks)
