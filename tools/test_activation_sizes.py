"""python3 -m unittest discover -s tools (run by the Maven build): the threshold arithmetic of activation_sizes.py,
which imports torch and timm only to run models, so no torch here."""
import unittest

from activation_sizes import INT32_MAX, first_batch_over_int32, tensors_in


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


if __name__ == "__main__":
    unittest.main()
