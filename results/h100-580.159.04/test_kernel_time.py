"""python3 -m unittest discover -s results/h100-580.159.04 -p test_kernel_time.py: the GPU-time arithmetic of
python_eager_reference.py, which imports torch only inside main(), so no torch here."""
import enum
import importlib.util
import os
import unittest
from types import SimpleNamespace

SCRIPT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "python_eager_reference.py")
spec = importlib.util.spec_from_file_location("python_eager_reference", SCRIPT)
reference = importlib.util.module_from_spec(spec)
spec.loader.exec_module(reference)


class DeviceType(enum.Enum):
    """Stands in for torch.autograd.DeviceType: same member names, printed the same way (DeviceType.CUDA)."""
    CPU = 0
    CUDA = 1


def event(device_type, self_us, user_annotation=False):
    """One key_averages() row as recent torch has it: self device time in microseconds."""
    return SimpleNamespace(device_type=device_type, self_device_time_total=self_us,
                           is_user_annotation=user_annotation)


class GpuMsPerBatchTest(unittest.TestCase):
    def test_device_time_is_summed_and_divided_by_the_batches_in_ms(self):
        events = [event(DeviceType.CUDA, 3000.0), event(DeviceType.CUDA, 1500.0), event(DeviceType.CUDA, 500.0)]
        self.assertAlmostEqual(reference.gpu_ms_per_batch(events, 20), 5000.0 / 1000.0 / 20)

    def test_cpu_ops_are_left_out_they_carry_the_kernels_they_launched(self):
        """With CPU activity an aten op's self device time repeats its kernels' time: counted once, not twice."""
        kernels = [event(DeviceType.CUDA, 800.0), event(DeviceType.CUDA, 200.0)]
        ops = [event(DeviceType.CPU, 1000.0), event(DeviceType.CPU, 0.0)]
        self.assertAlmostEqual(reference.gpu_ms_per_batch(kernels + ops, 1), 1.0)

    def test_gpu_user_annotations_are_left_out_they_span_counted_kernels(self):
        events = [event(DeviceType.CUDA, 400.0), event(DeviceType.CUDA, 400.0, user_annotation=True)]
        self.assertAlmostEqual(reference.gpu_ms_per_batch(events, 2), 0.2)

    def test_an_older_torch_gives_the_time_as_self_cuda_time_total(self):
        old = SimpleNamespace(device_type=DeviceType.CUDA, self_cuda_time_total=2500.0)  # no is_user_annotation either
        self.assertAlmostEqual(reference.gpu_ms_per_batch([old], 5), 0.5)

    def test_a_device_type_that_prints_as_DeviceType_CUDA_without_a_name_counts(self):
        class PrintedOnly:  # a pybind11 enum seen only through str()
            def __str__(self):
                return "DeviceType.CUDA"
        self.assertAlmostEqual(reference.gpu_ms_per_batch([event(PrintedOnly(), 1000.0)], 1), 1.0)

    def test_no_device_activity_is_none_not_zero(self):
        """No CUPTI: only host-side records come back; a forward pass that ran no kernel would be a wrong number."""
        self.assertIsNone(reference.gpu_ms_per_batch([event(DeviceType.CPU, 0.0)], 20))
        self.assertIsNone(reference.gpu_ms_per_batch([], 20))
        self.assertIsNone(reference.gpu_ms_per_batch([event(DeviceType.CUDA, 1000.0)], 0))



def sample(t_us, percent):
    """One nvmlSample_t as pynvml returns it: timeStamp, and the union's unsigned-int member."""
    return SimpleNamespace(timeStamp=t_us, sampleValue=SimpleNamespace(uiVal=percent))


class FakeNvml:
    """Stands in for pynvml: nvmlDeviceGetSamples returns the given samples, or raises its NVMLError."""
    class NVMLError(Exception):
        pass

    def __init__(self, samples=None, error=None):
        self.samples, self.error, self.asked = samples, error, None

    def nvmlDeviceGetSamples(self, handle, sampling_type, since_us):
        self.asked = (sampling_type, since_us)
        if self.error:
            raise self.NVMLError(self.error)
        return 1, self.samples


class GpuBusyTest(unittest.TestCase):
    MS = 1000  # microseconds

    def setUp(self):
        self.saved = getattr(reference, "nvml", None)

    def tearDown(self):
        reference.nvml = self.saved

    def test_only_periods_wholly_inside_count_weighted_by_length_as_in_the_suite(self):
        # the same case as the suite's GpuBusyWindowTest: periods (0,100] 10 %, (100,300] 80 %, (300,400] 60 %,
        # (400,550] 100 %; window [50, 500] ms
        ms = self.MS
        samples = [(0, 0), (100 * ms, 10), (300 * ms, 80), (400 * ms, 60), (550 * ms, 100)]
        pct, coverage = reference.busy_percent(samples, 50 * ms, 500 * ms)
        self.assertAlmostEqual((80 * 200 + 60 * 100) / 300, pct)
        self.assertAlmostEqual(300 / 450, coverage)

    def test_no_period_inside_is_none(self):
        pct, coverage = reference.busy_percent([(0, 50), (1000 * self.MS, 50)], 100 * self.MS, 900 * self.MS)
        self.assertIsNone(pct)
        self.assertEqual(0, coverage)

    def test_the_clock_is_the_one_in_which_the_newest_sample_is_recent(self):
        now = dict(epoch=1_763_870_000_000_000, boot=86_400_000_000)
        self.assertEqual("epoch", reference.sample_clock(now["epoch"] - 150 * self.MS, now))
        self.assertEqual("boot", reference.sample_clock(now["boot"] - 150 * self.MS, now))
        self.assertIsNone(reference.sample_clock(now["boot"] - 10_000 * self.MS, now))

    def test_nvml_samples_are_sorted_read_whole_and_placed_in_their_clock(self):
        ms = self.MS
        boot_now = reference.clocks_now()["boot"]
        base = boot_now - 700 * ms  # samples stamped since boot, the newest 100 ms old
        fake = FakeNvml([sample(base + 600 * ms, 90), sample(base, 0), sample(base + 200 * ms, 70),
                         sample(base + 400 * ms, 80)])
        reference.nvml = fake
        window = dict(epoch=(0, 1), boot=(base, base + 600 * ms))
        busy, coverage, why = reference.nvml_busy("gpu", window)
        self.assertIsNone(why)
        self.assertAlmostEqual(80, busy)
        self.assertAlmostEqual(1, coverage)
        self.assertEqual((reference.NVML_GPU_UTILIZATION_SAMPLES, 0), fake.asked)
        busy, coverage, why = reference.nvml_busy("gpu", dict(epoch=(0, 1), boot=(base + 100 * ms, base + 500 * ms)))
        self.assertAlmostEqual(80, busy)  # only (200, 400] lies inside
        self.assertAlmostEqual(0.5, coverage)

    def test_samples_in_neither_clock_or_an_nvml_error_cost_the_field_only(self):
        reference.nvml = FakeNvml([sample(5, 50), sample(10, 50)])
        busy, _, why = reference.nvml_busy("gpu", dict(epoch=(0, 1), boot=(0, 1)))
        self.assertIsNone(busy)
        self.assertIn("neither", why)
        reference.nvml = FakeNvml(error="Not Found")
        busy, _, why = reference.nvml_busy("gpu", dict(epoch=(0, 1), boot=(0, 1)))
        self.assertIsNone(busy)
        self.assertIn("Not Found", why)


if __name__ == "__main__":
    unittest.main()
