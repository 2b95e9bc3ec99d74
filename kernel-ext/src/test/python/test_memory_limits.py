"""The kernel held to a memory budget, through a real Jupyter client.

The kernel starts with SEQLAB_MEMORY=1g, as Binder's cgroup limit would hold it (seqlab-java sizes the
heap and ND4J's array limit from it at start). A cell that asks for more gets a clear error and the
kernel lives on; the next cell runs; the kernel's peak resident memory stays inside the budget.
The kernelspec must be installed where JUPYTER_PATH points (run_kernel_tests.sh does that).
"""

import os
import unittest

from jupyter_client.manager import start_new_kernel

KERNEL_NAME = os.environ.get("SEQLAB_KERNEL_NAME", "seqlab")
BUDGET = 1 << 30
MB = 1 << 20


def cpu_core_type():
    """What seqlab-java should decide for this CPU (CpuCoreType's rule)."""
    with open("/proc/cpuinfo") as f:
        flags = next((line.split(":", 1)[1].split() for line in f if line.startswith("flags")), [])
    return "SkylakeX" if "avx512f" in flags else "Haswell" if "avx2" in flags else None


class MemoryLimitTests(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        env = {k: v for k, v in os.environ.items() if k not in ("OPENBLAS_CORETYPE", "OMP_NUM_THREADS")}
        env["SEQLAB_MEMORY"] = "1g"
        cls.km, cls.kc = start_new_kernel(kernel_name=KERNEL_NAME, env=env, startup_timeout=120)

    @classmethod
    def tearDownClass(cls):
        cls.kc.stop_channels()
        cls.km.shutdown_kernel(now=True)

    def run_cell(self, code, timeout=120):
        """Executes code; returns (reply content, text of its execute_result or None)."""
        reply = self.kc.execute_interactive(code, timeout=timeout, output_hook=self._collect)
        return reply["content"], self._last_result

    _last_result = None

    def _collect(self, msg):
        if msg["msg_type"] == "execute_result":
            type(self)._last_result = msg["content"]["data"]["text/plain"]

    def assert_alive_and_running(self):
        type(self)._last_result = None
        content, result = self.run_cell("6 * 7")
        self.assertEqual(content["status"], "ok", content)
        self.assertEqual(result, "42")
        self.assertTrue(self.km.is_alive())

    def test_the_budget_is_sized_from_seqlab_memory_at_start(self):
        content, result = self.run_cell('System.getProperty("seqlab.memory.arrays")')
        self.assertEqual(content["status"], "ok", content)
        # 1 GB: heap 256 MB (the minimum), JVM reserve 256 MB + 1/16, arrays the rest
        self.assertEqual(result, str(BUDGET - 256 * MB - (256 * MB + BUDGET // 16)))
        _, heap = self.run_cell("Runtime.getRuntime().maxMemory() <= 256L << 20")
        self.assertEqual(heap, "true")
        _, source = self.run_cell('System.getProperty("seqlab.memory.source")')
        self.assertEqual(source, "SEQLAB_MEMORY=1g")

    def test_cpu_core_type_and_threads_are_decided_where_the_kernel_starts(self):
        _, core = self.run_cell('String.valueOf(System.getenv("OPENBLAS_CORETYPE"))')
        self.assertEqual(core, str(cpu_core_type()))
        _, threads = self.run_cell('System.getenv("OMP_NUM_THREADS")')
        self.assertEqual(threads, "1")

    def test_an_array_beyond_the_budget_is_a_clear_error_and_the_kernel_lives_on(self):
        content, _ = self.run_cell("var big = Nd4j.create(org.nd4j.linalg.api.buffer.DataType.FLOAT, 500_000_000L);")
        self.assertEqual(content["status"], "error", content)
        self.assertEqual(content["ename"], "java.lang.OutOfMemoryError")
        self.assertTrue(content["evalue"].startswith("an array of 1.9 GB does not fit: the kernel's arrays may use 448 MB"),
                        content["evalue"])
        self.assertIn("SEQLAB_MEMORY=1g", content["evalue"])
        self.assert_alive_and_running()

    def test_arrays_kept_until_the_budget_is_full_then_freed(self):
        code = ("var kept = new java.util.ArrayList<INDArray>();\n"
                "while (true) kept.add(Nd4j.create(org.nd4j.linalg.api.buffer.DataType.FLOAT, 16_000_000L));")
        content, _ = self.run_cell(code)
        self.assertEqual(content["status"], "error", content)
        self.assertEqual(content["ename"], "java.lang.OutOfMemoryError")
        self.assertIn("does not fit", content["evalue"])
        _, count = self.run_cell("kept.size()")
        self.assertIn(int(count), range(5, 8))  # 61 MB each in 448 MB
        # dropping them makes room again: ND4J collects the garbage before it refuses
        content, _ = self.run_cell("kept = null;\nvar again = Nd4j.create(org.nd4j.linalg.api.buffer.DataType.FLOAT, 64_000_000L);")
        self.assertEqual(content["status"], "ok", content)
        self.run_cell("again = null;")
        self.assert_alive_and_running()

    def test_a_heap_overflow_is_an_error_in_the_cell(self):
        content, _ = self.run_cell("long[] huge = new long[400_000_000];")
        self.assertEqual(content["status"], "error", content)
        self.assertEqual(content["ename"], "java.lang.OutOfMemoryError")
        self.assertIn("Java heap space", content["evalue"])
        self.assert_alive_and_running()

    def test_zz_peak_resident_memory_stayed_inside_the_budget(self):
        pid = self.km.provisioner.process.pid
        with open(f"/proc/{pid}/status") as f:
            peak_kb = next(int(line.split()[1]) for line in f if line.startswith("VmHWM:"))
        print(f"\nkernel peak resident memory: {peak_kb // 1024} MB of {BUDGET // MB} MB")
        self.assertLess(peak_kb * 1024, BUDGET)


if __name__ == "__main__":
    unittest.main()
