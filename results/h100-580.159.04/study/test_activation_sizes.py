"""python3 -m unittest discover -s results/h100-580.159.04/study: the threshold arithmetic of activation_sizes.py,
which imports torch and timm only to run models, so no torch for it; the hooks that find the largest tensors run on
small hand-built torch models, skipped where torch is not installed (timm is never needed)."""
import unittest

from activation_sizes import INT32_MAX, first_batch_over_int32, largest_tensors, tensors_in

try:
    import torch
except ImportError:
    torch = None


class Counted:
    """Anything with numel(), as a tensor has: what tensors_in looks for."""

    def __init__(self, n):
        self.n = n

    def numel(self):
        return self.n


class FirstBatchOverInt32Test(unittest.TestCase):
    def test_the_batch_is_the_first_power_of_two_whose_tensor_passes_int32_max(self):
        # 64 x 112 x 112 per image: 2048 images hold 1,644,167,168 elements, 4096 hold 3,288,334,336
        self.assertEqual(first_batch_over_int32(64 * 112 * 112), 4096)
        # 96 x 112 x 112: 1024 -> 1,233,125,376, 2048 -> 2,466,250,752
        self.assertEqual(first_batch_over_int32(96 * 112 * 112), 2048)

    def test_exactly_int32_max_elements_still_fit_one_more_does_not(self):
        self.assertEqual(first_batch_over_int32(2**20), 2048)  # 2048 x 2^20 = 2^31 = INT32_MAX + 1
        self.assertEqual(first_batch_over_int32(INT32_MAX), 2)
        self.assertEqual(first_batch_over_int32(INT32_MAX + 1), 1)
        self.assertEqual(first_batch_over_int32(1), 2**31)

    def test_a_count_below_one_is_refused(self):
        with self.assertRaises(ValueError):
            first_batch_over_int32(0)


class TensorsInTest(unittest.TestCase):
    def test_tensors_are_found_inside_nested_tuples_lists_and_dicts_and_nothing_else(self):
        a, b, c, d = Counted(1), Counted(2), Counted(3), Counted(4)
        found = tensors_in((a, [b, {"x": c, "y": (d, None)}], "text", 5))
        self.assertEqual([t.numel() for t in found], [1, 2, 3, 4])
        self.assertEqual(tensors_in(None), [])


@unittest.skipIf(torch is None, "torch is not installed")
class LargestTensorsTest(unittest.TestCase):
    def test_a_strided_convs_input_can_be_the_largest_conv_tensor(self):
        nn = torch.nn
        # 3 x 64 x 64 = 12,288 in, 4 x 16 x 16 = 1,024 out; the Linear's 20,000 is the largest activation, not a conv's
        model = nn.Sequential(nn.Conv2d(3, 4, kernel_size=4, stride=4), nn.Flatten(), nn.Linear(1024, 20000)).eval()
        largest, conv = largest_tensors(model, 64)
        self.assertEqual(largest, (20000, "2", [1, 20000]))
        self.assertEqual(conv, (3 * 64 * 64, "0", "input", [1, 3, 64, 64]))

    def test_a_convs_output_counts_and_so_does_a_subclass_of_conv2d(self):
        nn = torch.nn

        class PaddedConv2d(nn.Conv2d):  # as timm's Conv2dSame
            pass
        # 3 x 8 x 8 = 192 in, 16 x 8 x 8 = 1,024 out of the second (a subclass); the first's 8 x 8 x 8 = 512 is smaller
        model = nn.Sequential(nn.Conv2d(3, 8, 3, padding=1), PaddedConv2d(8, 16, 3, padding=1)).eval()
        largest, conv = largest_tensors(model, 8)
        self.assertEqual(conv, (1024, "1", "output", [1, 16, 8, 8]))
        self.assertEqual(largest, (1024, "1", [1, 16, 8, 8]))  # the subclass returns it first, Sequential after

    def test_a_model_without_a_2d_convolution_has_no_conv_tensor(self):
        nn = torch.nn
        linear_only = nn.Sequential(nn.Flatten(), nn.Linear(3 * 4 * 4, 10)).eval()
        self.assertEqual(largest_tensors(linear_only, 4), ((48, "0", [1, 48]), None))
        conv1d_only = nn.Sequential(nn.Flatten(2), nn.Conv1d(3, 5, 1)).eval()  # 1-d: not cuDNN's 2-d path asked about
        self.assertEqual(largest_tensors(conv1d_only, 4), ((80, "1", [1, 5, 16]), None))


if __name__ == "__main__":
    unittest.main()
