"""python3 -m unittest discover -s tools (run by the Maven build): energy_window on a recorded H100 trace."""
import csv
import os
import time
import unittest

from energy_window import CounterEdges, CounterWentBack, images_at, joules_per_image

TRACE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "profilers", "src", "test", "resources",
                     "traces", "h100-resnet50-fp16-b128.csv")


def load_trace():
    """(t seconds, energy mJ, phase) rows of the NVML trace recorded on the H100 (tools/record_nvml_trace.py)."""
    with open(TRACE) as f:
        rows = csv.DictReader(line for line in f if not line.startswith("#"))
        return [(int(r["t_ns"]) / 1e9, int(r["energy_mj"]), r["phase"]) for r in rows]


def edges_of(samples):
    """The samples at which the counter differs from the sample before: the first sample is none."""
    return [(t, e) for (_, before), (t, e) in zip(samples, samples[1:]) if e != before]


class EnergyWindowTest(unittest.TestCase):
    def setUp(self):
        self.trace = load_trace()
        self.load = [(t, e) for t, e, phase in self.trace if phase == "load"]
        self.edges = edges_of([(t, e) for t, e, _ in self.trace])

    def window(self, start, seconds, batch=128, batches_per_second=100.0):
        """Batch completion marks of a steady run: one batch every 1/batches_per_second from start."""
        marks, n = [(start, 0)], 0
        while marks[-1][0] < start + seconds:
            n += 1
            marks.append((start + n / batches_per_second, n * batch))
        return marks

    def test_energy_is_taken_between_the_first_and_last_counter_step_inside_the_window(self):
        marks = self.window(self.load[0][0] + 1.0, 2.0)
        inside = [e for e in self.edges if marks[0][0] <= e[0] <= marks[-1][0]]
        self.assertGreater(len(inside), 10)  # ~100 ms steps on this GPU
        (t0, e0), (t1, e1) = inside[0], inside[-1]
        images = (t1 - t0) * 100.0 * 128  # the steady run completes 12,800 img/s
        self.assertAlmostEqual(joules_per_image(self.edges, marks), (e1 - e0) / 1000.0 / images, delta=1e-9)

    def test_the_naive_difference_of_two_reads_misses_a_step_the_edges_do_not(self):
        """A window that starts just after a counter step and ends just before one: two plain reads count
        ~one step (~100 ms) too little energy for the images of the whole window, ~5 % of 2 s."""
        load_edges = [e for e in self.edges if self.load[0][0] + 1.0 < e[0] < self.load[-1][0]]
        start = load_edges[0][0] + 0.001
        end = next(t for t, _ in load_edges if t > start + 2.0) - 0.002
        marks = [m for m in self.window(start, end - start + 0.01) if m[0] <= end]
        read = lambda at: [e for t, e in self.load if t <= at][-1]
        naive = (read(marks[-1][0]) - read(start)) / 1000.0 / marks[-1][1]
        edged = joules_per_image(self.edges, marks)
        self.assertLess(naive / edged, 0.97)
        self.assertGreater(naive / edged, 0.9)
        # the edged figure is the trace's own power: ~500 W under load, J/img x 12,800 img/s
        self.assertTrue(300 < edged * 12800 < 700, edged * 12800)

    def test_too_short_a_window_has_no_energy(self):
        first = self.edges[len(self.edges) // 2]
        marks = [(first[0] + 0.001, 0), (first[0] + 0.05, 128)]  # 49 ms: at most one step inside
        self.assertIsNone(joules_per_image(self.edges, marks))

    def test_a_counter_that_goes_back_inside_the_window_gives_no_energy(self):
        """A driver reload restarts the counter: the difference across it is no energy, and, negative, would read as the
        least J/img of all."""
        marks = self.window(self.load[0][0] + 1.0, 2.0)
        restart = (marks[0][0] + marks[-1][0]) / 2
        at = [e for t, e in self.edges if t < restart][-1]
        restarted = [(t, e - at if t >= restart else e) for t, e in self.edges]
        with self.assertRaises(CounterWentBack) as said:
            joules_per_image(restarted, marks)
        self.assertRegex(str(said.exception), r"^the energy counter went back from \d+ mJ to \d+ mJ inside the window "
                                              r"\(a driver reload\?\), so its energy is unknown$")
        # a restart before the window's first change inside it leaves the window's own changes whole
        first = [e for t, e in self.edges if t < marks[0][0]][-1]
        before = [(t, e - first if t >= marks[0][0] else e) for t, e in self.edges]
        self.assertAlmostEqual(joules_per_image(self.edges, marks), joules_per_image(before, marks), delta=1e-12)

    def test_images_are_interpolated_between_batch_completions(self):
        marks = [(10.0, 0), (10.5, 128), (11.0, 256)]
        self.assertEqual(images_at(marks, 10.25), 64)
        self.assertEqual(images_at(marks, 10.75), 192)
        self.assertEqual(images_at(marks, 9.0), 0)
        self.assertEqual(images_at(marks, 12.0), 256)

    def sampled(self, values):
        """The edges a CounterEdges takes from a counter that reads values, one a read, then stays at the last; the
        time of a read is its number (1, 2, ...)."""
        reads = []

        def read():
            reads.append(1)
            return values[min(len(reads), len(values)) - 1]
        sampler = CounterEdges(read, clock=lambda: len(reads), period=0)
        sampler.start()
        deadline = time.monotonic() + 10
        while len(reads) <= len(values) and time.monotonic() < deadline:
            time.sleep(0.001)
        sampler.stop()
        return sampler.edges

    def test_the_sampler_keeps_only_changes_with_their_time(self):
        edges = self.sampled([5, 5, 5, 7, 7, 9])
        self.assertEqual([v for _, v in edges], [7, 9])
        self.assertEqual([t for t, _ in edges], [4, 6])

    def test_a_sampler_started_inside_the_window_takes_its_first_read_for_no_step(self):
        """Its first value is that of a step taken some time before: counted from the first read, the window would get
        that step's energy over part of its time. It gets the figure of a sampler started before it."""
        step = next(t for t, _ in self.edges if t > self.load[len(self.load) // 2][0])
        start = step + 0.05  # half a step after it
        replay = [(t, e) for t, e in self.load if t >= start]
        edges = [(replay[i - 1][0], e) for i, e in self.sampled([e for _, e in replay])]
        self.assertEqual(edges_of(replay), edges)
        marks = self.window(start, 2.0)
        self.assertAlmostEqual(joules_per_image(self.edges, marks), joules_per_image(edges, marks), delta=1e-12)

if __name__ == "__main__":
    unittest.main()
