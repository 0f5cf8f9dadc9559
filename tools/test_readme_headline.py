"""python3 -m unittest discover -s tools (run by the Maven build): the README's study headline is the committed
report's, and the block's extraction and replacement."""
import os
import unittest

import readme_headline as rh

SUMMARY = """# GPU inference energy report

- ours: pytorch-fp32 -> pytorch-fp16: geometric mean 2.13x, geometric std 1.11 (4 models)
- no model has J/img for both pytorch-fp32 and tensorrt-fp16
- paper (Yang et al., H100, TensorRT FP16 vs PyTorch FP32): 4.02x, geometric std 1.55 (reference, not our measurement)
- ours: the naive estimate underestimates measured J/img by 25.40x

## Best batch per model

Lowest J/img over the batch sizes measured, per engine.

| gpu | model | pytorch-fp32 best batch |
|---|---|---|
| H100 | resnet50 | 128 |

## Not run

| not | a | headline |
"""


class HeadlineTest(unittest.TestCase):
    def test_the_factor_lines_and_the_best_batch_table_only(self):
        self.assertEqual(rh.headline(SUMMARY).splitlines(), [
            "- ours: pytorch-fp32 -> pytorch-fp16: geometric mean 2.13x, geometric std 1.11 (4 models)",
            "- paper (Yang et al., H100, TensorRT FP16 vs PyTorch FP32): 4.02x, geometric std 1.55 (reference, not our measurement)",
            "",
            "| gpu | model | pytorch-fp32 best batch |",
            "|---|---|---|",
            "| H100 | resnet50 | 128 |"])

    def test_a_summary_without_the_table_is_refused(self):
        with self.assertRaises(ValueError):
            rh.headline(SUMMARY.replace("## Best batch per model", "## Something else"))

    def test_the_block_between_the_markers_is_replaced_and_the_rest_kept(self):
        readme = "intro\n" + rh.BEGIN + "\nold\n" + rh.END + "\nafter\n"
        self.assertEqual(rh.with_block(readme, "new"), "intro\n" + rh.BEGIN + "\nnew\n" + rh.END + "\nafter\n")
        with self.assertRaises(ValueError):
            rh.with_block("no markers", "new")

    def test_the_readme_shows_the_committed_report(self):
        # fails when the report was regenerated and the README not: run python3 tools/readme_headline.py
        self.assertEqual(rh.main(["--check"]), 0)


if __name__ == "__main__":
    unittest.main()
