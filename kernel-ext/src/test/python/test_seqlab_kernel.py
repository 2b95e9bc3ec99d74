"""Protocol tests for the seqlab kernel through a real Jupyter client.

Runs Debian's jupyter_kernel_test suite (every test that takes a sample has one) plus the
kernel's own promises: live displays updating in place (also during a fit), interrupting a busy
loop and a fit.
The kernelspec must be installed where JUPYTER_PATH points (run_kernel_tests.sh does that).
"""

import os
import time
import unittest
from queue import Empty

import jupyter_kernel_test
from jupyter_client.manager import start_new_kernel

KERNEL_NAME = os.environ.get("SEQLAB_KERNEL_NAME", "seqlab")


class SeqlabKernelTests(jupyter_kernel_test.KernelTests):
    kernel_name = KERNEL_NAME
    language_name = "java"
    file_extension = ".jshell"

    code_hello_world = 'System.out.println("hello, world");'
    code_stderr = 'System.err.println("oops");'

    completion_samples = [
        {"text": "Math.ma", "matches": {"max("}},
        {"text": "int x = 1;\nSystem.out.printl", "matches": {"println("}},
    ]

    complete_code_samples = ["1 + 1", "int x = 1;", "void f() {}", "for (int i = 0; i < 3; i++) {}"]
    incomplete_code_samples = ["void f() {", "for (int i = 0; i < 3; i++) {", "int[] a = {1,"]
    # JShell's completeness analysis is syntactic: it calls "int 1x = 3;" complete (the compiler
    # rejects it at execution); unbalanced closers are what it can tell are invalid
    invalid_code_samples = ["}", "int x = 3 )", "class A { int x; }}"]

    code_generate_error = 'throw new IllegalStateException("bad state");'

    code_execute_result = [
        {"code": "1+2", "result": "3"},
        {"code": '"seq" + "lab"', "result": "seqlab"},
        {"code": "java.util.List.of(1, 2, 3)", "result": "[1, 2, 3]"},
    ]

    code_display_data = [
        {"code": 'display("shown");', "mime": "text/plain"},
        {"code": 'display(tech.tablesaw.api.Table.create("t", tech.tablesaw.api.IntColumn.create("a", 1, 2)));',
         "mime": "text/html"},
        {"code": ("var chart = new org.knowm.xchart.XYChartBuilder().width(200).height(150).title(\"loss\").build();\n"
                  "chart.addSeries(\"train\", new double[]{1, 2, 3}, new double[]{3, 2, 1});\n"
                  "display(chart);"),
         "mime": "image/png"},
    ]

    code_history_pattern = "1?2*"
    supported_history_operations = ("tail", "range", "search")

    code_inspect_sample = "Math.max"

    code_clear_output = 'System.out.println("gone");\nclearOutput(false);'


class SeqlabKernelBehaviour(unittest.TestCase):
    """Promises beyond the protocol suite."""

    @classmethod
    def setUpClass(cls):
        cls.km, cls.kc = start_new_kernel(kernel_name=KERNEL_NAME)

    @classmethod
    def tearDownClass(cls):
        cls.kc.stop_channels()
        cls.km.shutdown_kernel(now=True)

    def run_cell(self, code, timeout=60):
        """Executes code and returns (reply, iopub messages of this request)."""
        msg_id = self.kc.execute(code)
        reply = self.kc.get_shell_msg(timeout=timeout)
        while reply["parent_header"].get("msg_id") != msg_id:
            reply = self.kc.get_shell_msg(timeout=timeout)
        msgs = []
        while True:
            msg = self.kc.get_iopub_msg(timeout=timeout)
            if msg["parent_header"].get("msg_id") != msg_id:
                continue
            if msg["msg_type"] == "status" and msg["content"]["execution_state"] == "idle":
                break
            msgs.append(msg)
        return reply, msgs

    def test_live_display_updates_one_display_in_place(self):
        code = (
            "var live = liveDisplay();\n"
            "for (int i = 0; i < 40; i++) { live.update(\"step \" + i); Thread.sleep(100); }\n"
            "live.flush();"
        )
        reply, msgs = self.run_cell(code)
        self.assertEqual(reply["content"]["status"], "ok", reply["content"])
        shown = [m for m in msgs if m["msg_type"] == "display_data"]
        updates = [m for m in msgs if m["msg_type"] == "update_display_data"]
        self.assertEqual(len(shown), 1)
        display_id = shown[0]["content"]["transient"]["display_id"]
        self.assertGreaterEqual(len(updates), 5)
        self.assertTrue(all(u["content"]["transient"]["display_id"] == display_id for u in updates))
        # throttled: 40 offers over ~4 s become about one update per 0.5 s
        self.assertLessEqual(len(updates), 12)
        self.assertEqual(updates[-1]["content"]["data"]["text/plain"], "step 39")

    def test_update_display_by_id(self):
        reply, msgs = self.run_cell('String id = display("first");\nupdateDisplay(id, "second");')
        self.assertEqual(reply["content"]["status"], "ok", reply["content"])
        kinds = [m["msg_type"] for m in msgs if m["msg_type"] in ("display_data", "update_display_data")]
        self.assertEqual(kinds, ["display_data", "update_display_data"])

    def test_a_cell_ending_in_display_shows_no_display_id(self):
        reply, msgs = self.run_cell('display("picture");')
        self.assertEqual(reply["content"]["status"], "ok", reply["content"])
        self.assertEqual([m["msg_type"] for m in msgs if m["msg_type"] in ("display_data", "execute_result")],
                         ["display_data"])

    def test_interrupt_stops_a_busy_loop_and_the_next_cell_runs(self):
        msg_id = self.kc.execute("long spins = 0;\nwhile (true) { spins++; }")
        # wait until the cell is running
        while True:
            msg = self.kc.get_iopub_msg(timeout=30)
            if msg["parent_header"].get("msg_id") == msg_id and msg["msg_type"] == "execute_input":
                break
        time.sleep(0.5)
        start = time.monotonic()
        self.km.interrupt_kernel()
        reply = self.kc.get_shell_msg(timeout=10)
        while reply["parent_header"].get("msg_id") != msg_id:
            reply = self.kc.get_shell_msg(timeout=10)
        latency = time.monotonic() - start
        print(f"\ninterrupt latency: {latency:.3f} s")
        self.assertEqual(reply["content"]["status"], "error")
        self.assertEqual(reply["content"]["ename"], "InterruptedException")
        self.assertLess(latency, 2.0)
        self.assertTrue(self.km.is_alive())
        reply, msgs = self.run_cell("spins > 0")
        self.assertEqual(reply["content"]["status"], "ok")
        results = [m for m in msgs if m["msg_type"] == "execute_result"]
        self.assertEqual(results[0]["content"]["data"]["text/plain"], "true")

    FIT_SETUP = (
        "String text = ShippedText.demo().substring(0, 50_000);\n"
        "Vocab vocab = Vocab.chars(text);\n"
        "Model model = Seq.model().vocab(vocab).embed(32).lstm(128).softmax().seed(7).build();\n"
        "var data = TextWindows.streams(text, vocab, 16, 64);"
    )

    def wait_for_updates(self, msg_id, count):
        """Reads iopub until the request has sent `count` update_display_data messages."""
        seen = 0
        while seen < count:
            msg = self.kc.get_iopub_msg(timeout=120)
            if msg["parent_header"].get("msg_id") == msg_id and msg["msg_type"] == "update_display_data":
                seen += 1

    def test_a_fit_shows_one_live_display_updated_in_place(self):
        reply, _ = self.run_cell(self.FIT_SETUP, timeout=120)
        self.assertEqual(reply["content"]["status"], "ok", reply["content"])
        reply, msgs = self.run_cell("var h = model.fit(data, FitOptions.steps(150).adam(3e-3).clipNorm(1));", timeout=300)
        self.assertEqual(reply["content"]["status"], "ok", reply["content"])
        shown = [m for m in msgs if m["msg_type"] == "display_data"]
        updates = [m for m in msgs if m["msg_type"] == "update_display_data"]
        self.assertEqual(len(shown), 1, "one display per fit")
        display_id = shown[0]["content"]["transient"]["display_id"]
        self.assertGreaterEqual(len(updates), 5)
        self.assertTrue(all(u["content"]["transient"]["display_id"] == display_id for u in updates))
        middle = updates[len(updates) // 2]["content"]["data"]
        self.assertIn("image/png", middle)
        self.assertIn("data:image/png;base64,", middle["text/html"])
        for part in ("/150", "tokens/s", "ETA", "loss", "perplexity", "grad norm"):
            self.assertIn(part, middle["text/plain"])
        self.assertTrue(updates[-1]["content"]["data"]["text/plain"].startswith("done: 150 steps"),
                        updates[-1]["content"]["data"]["text/plain"])
        # the history renders as a loss curve with its metrics
        reply, msgs = self.run_cell("h")
        data = [m for m in msgs if m["msg_type"] == "execute_result"][0]["content"]["data"]
        self.assertIn("image/png", data)
        self.assertIn("perplexity (last step)", data["text/html"])

    def test_interrupting_a_fit_stops_between_steps_and_keeps_the_model(self):
        reply, _ = self.run_cell(self.FIT_SETUP, timeout=120)
        self.assertEqual(reply["content"]["status"], "ok", reply["content"])
        msg_id = self.kc.execute("var h = model.fit(data, FitOptions.steps(100_000).adam(3e-3));")
        self.wait_for_updates(msg_id, 3)
        start = time.monotonic()
        self.km.interrupt_kernel()
        reply = self.kc.get_shell_msg(timeout=30)
        while reply["parent_header"].get("msg_id") != msg_id:
            reply = self.kc.get_shell_msg(timeout=30)
        latency = time.monotonic() - start
        print(f"\nfit interrupt latency: {latency:.3f} s")
        self.assertEqual(reply["content"]["status"], "error")
        self.assertEqual(reply["content"]["ename"], "InterruptedException")
        self.assertLess(latency, 2.0)
        # fit returned its partial history (a Thread.stop would have left h unassigned)
        reply, msgs = self.run_cell("h.stopReason()")
        self.assertEqual(reply["content"]["status"], "ok", reply["content"])
        self.assertEqual([m for m in msgs if m["msg_type"] == "execute_result"][0]["content"]["data"]["text/plain"],
                         "INTERRUPTED")
        reply, msgs = self.run_cell('model.generate("the ", 40, 0.7).length()')
        self.assertEqual(reply["content"]["status"], "ok", reply["content"])
        self.assertEqual([m for m in msgs if m["msg_type"] == "execute_result"][0]["content"]["data"]["text/plain"], "40")

    def test_error_names_user_exception_and_cell_line(self):
        reply, msgs = self.run_cell("int a = 1;\nint b = 0;\nint c = a / b;")
        self.assertEqual(reply["content"]["status"], "error")
        self.assertEqual(reply["content"]["ename"], "java.lang.ArithmeticException")
        errors = [m for m in msgs if m["msg_type"] == "error"]
        self.assertEqual(len(errors), 1)
        self.assertIn("line 3", "\n".join(errors[0]["content"]["traceback"]))

    def test_seqlab_imports_are_in_scope(self):
        reply, msgs = self.run_cell("Vocab.class.getName()")
        self.assertEqual(reply["content"]["status"], "ok", reply["content"])
        results = [m for m in msgs if m["msg_type"] == "execute_result"]
        self.assertEqual(results[0]["content"]["data"]["text/plain"], "org.seqlab.data.Vocab")

    def test_ndarray_renders_as_compact_text(self):
        reply, msgs = self.run_cell("Nd4j.linspace(1, 6, 6).reshape(2, 3)", timeout=120)
        self.assertEqual(reply["content"]["status"], "ok", reply["content"])
        text = [m for m in msgs if m["msg_type"] == "execute_result"][0]["content"]["data"]["text/plain"]
        self.assertTrue(text.startswith("INDArray"), text)
        self.assertIn("[2, 3]", text)


if __name__ == "__main__":
    unittest.main()
