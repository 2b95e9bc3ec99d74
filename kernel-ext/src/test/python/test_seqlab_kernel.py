"""Protocol tests for the seqlab kernel through a real Jupyter client.

Runs Debian's jupyter_kernel_test suite (every test that takes a sample has one) plus the
kernel's own promises: live displays updating in place (also during a fit), interrupting a busy
loop and a fit; and the hardening ones (issue 10): forged and replayed messages on shell and
control, an output flood, stop_on_error, System.exit, threads a cell starts, an orphaned kernel,
the editor mode, documentation and completion, tracebacks, %maven and extensions in added jars;
and jupyter-console's exit (issue 11).
The kernelspec must be installed where JUPYTER_PATH points (run_kernel_tests.sh does that).
"""

import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import textwrap
import time
import unittest
import urllib.request
import zipfile
from pathlib import Path
from queue import Empty

import jupyter_kernel_test
import zmq
from jupyter_client.manager import start_new_kernel
from jupyter_client.session import Session

ROOT = Path(__file__).resolve().parents[4]

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


class KernelHarness(unittest.TestCase):
    """One kernel per test class, with helpers to run cells and to speak raw ZeroMQ to it."""

    @classmethod
    def setUpClass(cls):
        cls.km, cls.kc = start_new_kernel(kernel_name=KERNEL_NAME)
        cls.zmq = zmq.Context()
        cls.sockets = []
        cls.seen = []  # every iopub message read, whatever its parent
        cls.kc.execute_interactive("1", timeout=180, output_hook=lambda m: None)  # JShell is up (kernel_info is answered before it is)

    @classmethod
    def tearDownClass(cls):
        for s in cls.sockets:
            s.close(linger=0)
        cls.zmq.term()
        cls.kc.stop_channels()
        cls.km.shutdown_kernel(now=True)

    def run_cell(self, code, timeout=60):
        """Executes code; returns (reply, iopub messages of this request up to its idle)."""
        msg_id = self.kc.execute(code)
        reply = self.reply_to(msg_id, timeout)
        return reply, self.iopub_of(msg_id, timeout)

    def wait_until_running(self, msg_id):
        """Reads iopub up to the request's execute_input: the cell has started."""
        while True:
            msg = self.kc.get_iopub_msg(timeout=60)
            self.seen.append(msg)
            if msg["parent_header"].get("msg_id") == msg_id and msg["msg_type"] == "execute_input":
                return

    def reply_to(self, msg_id, timeout=60):
        while True:
            reply = self.kc.get_shell_msg(timeout=timeout)
            if reply["parent_header"].get("msg_id") == msg_id:
                return reply

    def iopub_of(self, msg_id, timeout=60):
        msgs = []
        while True:
            msg = self.kc.get_iopub_msg(timeout=timeout)
            self.seen.append(msg)
            if msg["parent_header"].get("msg_id") != msg_id:
                continue
            if msg["msg_type"] == "status" and msg["content"]["execution_state"] == "idle":
                return msgs
            msgs.append(msg)

    def value(self, code):
        reply, msgs = self.run_cell(code)
        self.assertEqual(reply["content"]["status"], "ok", reply["content"])
        results = [m for m in msgs if m["msg_type"] == "execute_result"]
        self.assertEqual(len(results), 1, msgs)
        return results[0]["content"]["data"]["text/plain"]

    @staticmethod
    def printed(msgs, name=None):
        return "".join(m["content"]["text"] for m in msgs
                       if m["msg_type"] == "stream" and (name is None or m["content"]["name"] == name))

    def socket(self, channel):
        """A DEALER of our own on the kernel's shell or control port (its replies come back here)."""
        info = self.km.get_connection_info()
        s = self.zmq.socket(zmq.DEALER)
        s.setsockopt(zmq.LINGER, 0)
        s.connect(f"{info['transport']}://{info['ip']}:{info[channel + '_port']}")
        self.sockets.append(s)
        return s

    def interrupt(self):
        """Interrupts over our own control socket and waits for the reply: the kernel has acted on it."""
        control = self.socket("control")
        session = self.session()
        msg = session.msg("interrupt_request", {})
        session.send(control, msg)
        reply = self.receive(control, session, 30)
        self.assertIsNotNone(reply, "no interrupt_reply")
        return msg["header"]["msg_id"]

    def shell_reply(self, msg_id, timeout=60):
        return self.reply_to(msg_id, timeout)["content"]

    def session(self, key=None):
        return Session(key=self.km.session.key if key is None else key, username="tester")

    @staticmethod
    def receive(sock, session, timeout):
        """The next message on sock within timeout seconds, or None."""
        if not sock.poll(int(timeout * 1000)):
            return None
        frames = sock.recv_multipart()
        _, frames = session.feed_identities(frames)
        return session.deserialize(frames)


class SeqlabKernelBehaviour(KernelHarness):
    """Promises beyond the protocol suite."""

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
        self.wait_until_running(msg_id)
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
        # an intended stop: the progress line as text, no red error box
        msgs = self.iopub_of(msg_id)
        self.assertEqual([m for m in msgs if m["msg_type"] == "error"], [])
        printed = "".join(m["content"]["text"] for m in msgs if m["msg_type"] == "stream")
        self.assertRegex(printed, r"interrupted at step [\d,]+/100,000 .*the weights reached so far are kept")
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


class ForgedMessages(KernelHarness):
    """Issue 10 item 1: no message a local process can send without the key makes the kernel deaf."""

    def send_forged(self, sock, msg_type, content, key=b"not-the-key", tamper=None):
        session = self.session(key=key)
        msg = session.msg(msg_type, content)
        frames = session.serialize(msg)
        if tamper is not None:
            frames[-1] = json.dumps(tamper).encode()  # signed for one content, carrying another
        sock.send_multipart(frames)
        return msg["header"]["msg_id"]

    def assert_kernel_serves(self):
        self.assertEqual(self.value("6 * 7"), "42")
        reply = self.reply_to(self.kc.kernel_info(), 30)
        self.assertEqual(reply["msg_type"], "kernel_info_reply")
        self.assertEqual(reply["content"]["status"], "ok")
        control = self.socket("control")
        session = self.session()
        msg = session.msg("kernel_info_request", {})
        session.send(control, msg)
        answer = self.receive(control, session, 30)
        self.assertIsNotNone(answer, "no kernel_info_reply on the control channel")
        self.assertEqual(answer["parent_header"]["msg_id"], msg["header"]["msg_id"])
        self.assertEqual(answer["content"]["status"], "ok")

    def test_wrong_key_unsigned_and_tampered_messages_on_shell_are_dropped(self):
        shell = self.socket("shell")
        self.send_forged(shell, "execute_request", {"code": "int wrongKey = 1;", "silent": False})
        self.send_forged(shell, "execute_request", {"code": "int unsigned = 1;", "silent": False}, key=b"")
        self.send_forged(shell, "execute_request", {"code": "int harmless = 1;", "silent": False},
                         key=self.km.session.key, tamper={"code": "int tampered = 1;", "silent": False})
        self.send_forged(shell, "kernel_info_request", {})
        shell.send_multipart([b"<IDS|MSG>", b"garbage"])  # not even a message
        self.assertIsNone(self.receive(shell, self.session(), 2), "a forged request got an answer")
        self.assert_kernel_serves()
        for name in ("wrongKey", "unsigned", "tampered", "harmless"):
            reply, _ = self.run_cell(name)
            self.assertEqual(reply["content"]["status"], "error", f"{name} was defined: a forged cell ran")

    def test_wrong_key_and_unsigned_messages_on_control_are_dropped(self):
        control = self.socket("control")
        self.send_forged(control, "shutdown_request", {"restart": False})
        self.send_forged(control, "interrupt_request", {}, key=b"")
        self.send_forged(control, "shutdown_request", {"restart": False},
                         key=self.km.session.key, tamper={"restart": True})
        self.assertIsNone(self.receive(control, self.session(), 2), "a forged request got an answer")
        self.assertTrue(self.km.is_alive())
        self.assert_kernel_serves()
        # interrupt still works after the forgeries (the control thread lives)
        msg_id = self.kc.execute("while (true) { Thread.onSpinWait(); }")
        time.sleep(1.0)
        self.interrupt()
        self.assertEqual(self.reply_to(msg_id, 15)["content"]["ename"], "InterruptedException")

    def test_a_replayed_signed_message_is_rejected(self):
        self.assertEqual(self.value("int replays = 0;\nreplays"), "0")
        shell = self.socket("shell")
        session = self.session()
        msg = session.msg("execute_request", {"code": "replays++;", "silent": False, "store_history": False,
                                              "user_expressions": {}, "allow_stdin": False, "stop_on_error": True})
        frames = session.serialize(msg)
        shell.send_multipart(frames)
        first = self.receive(shell, session, 30)
        self.assertIsNotNone(first)
        self.assertEqual(first["content"]["status"], "ok")
        shell.send_multipart(frames)  # the same bytes again: same signature
        self.assertIsNone(self.receive(shell, session, 3), "the replay was answered")
        self.assertEqual(self.value("replays"), "1")


class OutputAndExecution(KernelHarness):
    """Issue 10 items 2-5 and 8: floods, stop_on_error, System.exit, threads, tracebacks."""

    def test_200000_printed_lines_are_all_accounted_for(self):
        start = time.monotonic()
        reply, msgs = self.run_cell("for (int i = 0; i < 200_000; i++) System.out.println(i);", timeout=120)
        elapsed = time.monotonic() - start
        self.assertEqual(reply["content"]["status"], "ok")  # and run_cell saw the idle status
        streams = [m for m in msgs if m["msg_type"] == "stream"]
        print(f"\n200,000 lines: {elapsed:.2f} s, {len(streams)} stream messages")
        self.assertLess(len(streams), 100, "output is not coalesced")
        lines = self.printed(msgs).splitlines()
        numbers = [int(l) for l in lines if l.isdigit()]
        notes = [l for l in lines if l.startswith("[seqlab:")]
        cut = re.search(r"\[seqlab: ([\d,]+) lines \(.*\) of cell \[\d+\]'s output not shown", "\n".join(notes))
        self.assertIsNotNone(cut, notes)
        cut = int(cut.group(1).replace(",", ""))
        gap = next((i for i in range(1, len(numbers)) if numbers[i] != numbers[i - 1] + 1), len(numbers))
        head, tail = numbers[:gap], numbers[gap:]
        self.assertEqual(head, list(range(len(head))), "the head is not lines 0..n in order")
        self.assertEqual(tail, list(range(200_000 - len(tail), 200_000)), "the tail is not the last lines in order")
        self.assertEqual(len(head) + cut + len(tail), 200_000)
        self.assertGreater(len(tail), 0)

    def test_stop_on_error_aborts_the_cells_queued_behind_a_failure(self):
        failing = self.kc.execute('Thread.sleep(500);\nthrow new IllegalStateException("first cell fails");')
        queued = [self.kc.execute("int ranAfterFailure = 1;"), self.kc.execute('System.out.println("ran");')]
        statuses = [self.reply_to(i, 30)["content"]["status"] for i in [failing] + queued]
        self.assertEqual(statuses, ["error", "aborted", "aborted"])
        reply, _ = self.run_cell("ranAfterFailure")
        self.assertEqual(reply["content"]["status"], "error", "a cell queued behind the failure ran")
        # a request sent after the failure runs normally, and so does one that does not ask to stop
        self.assertEqual(self.value("1 + 1"), "2")
        lenient = self.kc.execute('throw new RuntimeException("fails, but lets the next run");', stop_on_error=False)
        after = self.kc.execute("int ranAfterLenient = 3;")
        self.assertEqual([self.reply_to(i, 30)["content"]["status"] for i in (lenient, after)], ["error", "ok"])

    def test_stop_on_error_aborts_the_cells_queued_behind_an_interrupted_cell(self):
        busy = self.kc.execute("while (true) { Thread.onSpinWait(); }")
        queued = self.kc.execute("int ranAfterInterrupt = 1;")
        time.sleep(1.0)
        self.interrupt()
        self.assertEqual([self.reply_to(i, 30)["content"]["status"] for i in (busy, queued)], ["error", "aborted"])

    def test_system_exit_is_refused_and_the_kernel_keeps_its_variables(self):
        self.assertEqual(self.value("int survivor = 41;\nsurvivor"), "41")
        for call in ("System.exit(1);", "Runtime.getRuntime().exit(2);", "Runtime.getRuntime().halt(3);",
                     "void quit() { System.exit(4); }\nquit();"):
            reply, msgs = self.run_cell(call)
            self.assertEqual(reply["content"]["status"], "error", call)
            self.assertEqual(reply["content"]["ename"], "org.seqlab.kernel.ExitRefusedException", call)
            self.assertIn("would end the kernel", reply["content"]["evalue"])
            self.assertIn("Kernel > Shut Down", reply["content"]["evalue"])
        self.assertTrue(self.km.is_alive())
        self.assertEqual(self.value("survivor + 1"), "42")

    def test_threads_write_to_the_cell_that_started_them_and_interrupts_stop_them(self):
        start_cell = self.kc.execute(textwrap.dedent("""\
            Thread ticker = new Thread(() -> {
                while (true) {
                    System.out.println("tick");
                    try { Thread.sleep(50); } catch (InterruptedException e) { return; }
                }
            });
            Thread stubborn = new Thread(() -> {
                while (true) {
                    System.out.println("tock");
                    try { Thread.sleep(50); } catch (InterruptedException e) { /* ignores it */ }
                }
            });
            ticker.start();
            stubborn.start();"""))
        self.assertEqual(self.reply_to(start_cell)["content"]["status"], "ok")
        reply, msgs = self.run_cell("Thread.sleep(1000);")
        self.assertEqual(reply["content"]["status"], "ok")
        self.assertNotIn("tick", self.printed(msgs), "a thread of an earlier cell wrote into this one")
        self.assertNotIn("tock", self.printed(msgs), "a thread of an earlier cell wrote into this one")
        # its output went to its own cell, after a note that the cell has finished
        late = [m["content"]["text"] for m in self.seen
                if m["parent_header"].get("msg_id") == start_cell and m["msg_type"] == "stream"]
        deadline = time.monotonic() + 5
        while time.monotonic() < deadline and "tock" not in "".join(late):
            try:
                m = self.kc.get_iopub_msg(timeout=1)
            except Empty:
                continue
            if m["parent_header"].get("msg_id") == start_cell and m["msg_type"] == "stream":
                late.append(m["content"]["text"])
        self.assertIn("tick", "".join(late))
        self.assertIn("started by cell", "".join(late))
        started = time.monotonic()
        self.interrupt()
        while self.value("ticker.isAlive()") == "true" and time.monotonic() - started < 10:
            time.sleep(0.2)
        print(f"\nbackground thread stopped {time.monotonic() - started:.2f} s after the interrupt")
        self.assertEqual(self.value("ticker.isAlive()"), "false")
        self.assertEqual(self.value("stubborn.isAlive()"), "true", "it ignores interrupts")
        self.interrupt()  # the second interrupt stops it
        started = time.monotonic()
        while self.value("stubborn.isAlive()") == "true" and time.monotonic() - started < 10:
            time.sleep(0.2)
        self.assertEqual(self.value("stubborn.isAlive()"), "false")
        self.assertEqual(self.value('"kernel fine"'), "kernel fine")

    def test_tracebacks_show_the_users_cell_not_the_machinery(self):
        reply, msgs = self.run_cell('Vocab.chars("")')
        self.assertEqual(reply["content"]["status"], "error")
        tb = re.sub(r"\x1b\[[0-9;]*m", "", "\n".join(reply["content"]["traceback"]))
        self.assertIn("no tokens to build a vocabulary", tb)
        self.assertRegex(tb, r"at cell \[\d+\], line 1 \(calling Vocab\.chars\)")
        for internal in ("org.seqlab.", "REPL.", "$JShell", "do_it$", "jdk.internal", "at  ("):
            self.assertNotIn(internal, tb)
        # a user's method and a lambda the library calls back
        reply, _ = self.run_cell(textwrap.dedent("""\
            int check(int v) {
                if (v > 2) throw new IllegalArgumentException("too big: " + v);
                return v;
            }
            java.util.List.of(1, 2, 3).forEach(v -> check(v));"""))
        tb = re.sub(r"\x1b\[[0-9;]*m", "", "\n".join(reply["content"]["traceback"]))
        self.assertIn("at check (cell [", tb)
        self.assertIn("(calling Iterable.forEach)", tb)
        for internal in ("java.util.", "REPL.", "$JShell", "lambda$"):
            self.assertNotIn(internal, tb)

    def test_a_value_whose_toString_throws_does_not_break_the_cell(self):
        reply, msgs = self.run_cell('var odd = new Object() { public String toString() { throw new RuntimeException("no text"); } };\nodd')
        self.assertEqual(reply["content"]["status"], "ok", reply["content"])
        self.assertIn("rendering failed", [m for m in msgs if m["msg_type"] == "execute_result"][0]["content"]["data"]["text/plain"])


class FrontendSupport(KernelHarness):
    """Issue 10 items 7-8 and issue 11 item 2: what JupyterLab, Notebook and consoles get."""

    # JupyterLab shows the kernel idle on any idle status: an interrupt must not send one while a cell runs
    def test_no_idle_status_while_an_interrupted_cell_still_runs(self):
        cell = self.kc.execute("long until = System.nanoTime() + 3_000_000_000L;\nwhile (System.nanoTime() < until) {}")
        self.wait_until_running(cell)
        time.sleep(0.3)
        control = self.socket("control")
        session = self.session()
        interrupt = session.msg("interrupt_request", {})
        session.send(control, interrupt)
        self.assertEqual(self.receive(control, session, 10)["content"]["status"], "ok")
        states = []
        while True:
            m = self.kc.get_iopub_msg(timeout=30)
            if m["msg_type"] == "status":
                states.append((m["parent_header"].get("msg_id"), m["content"]["execution_state"]))
                if m["parent_header"].get("msg_id") == cell and m["content"]["execution_state"] == "idle":
                    break
        self.assertIn((interrupt["header"]["msg_id"], "busy"), states)
        before_cell_idle = states[:-1]
        self.assertNotIn("idle", [s for _, s in before_cell_idle], states)
        self.assertEqual(self.reply_to(cell)["content"]["status"], "error")

    def test_kernel_info_names_a_mode_codemirror_knows(self):
        info = self.shell_reply(self.kc.kernel_info())["language_info"]
        mode = info["codemirror_mode"]
        # classic notebook 6 (CodeMirror 5): new cells get the mode string itself, so it must be a
        # MIME (or mode name) CodeMirror resolves to Java; Debian's notebook uses libjs-codemirror's meta.js
        import notebook
        meta = (Path(notebook.__file__).parent / "static/components/codemirror/mode/meta.js").read_text()
        java = re.search(r'\{name: "Java", mime: "([^"]+)", mode: "clike"', meta)
        self.assertIsNotNone(java, "no Java entry in CodeMirror's meta.js")
        self.assertEqual(mode, java.group(1))
        # JupyterLab 4 resolves it by MIME too (its registry lists Java as text/x-java)
        self.assertEqual(mode, "text/x-java")
        self.assertEqual(info["mimetype"], "text/x-java")

    def test_inspect_shows_the_javadoc_of_seqlab_classes_and_methods(self):
        source = (ROOT / "dsl/src/main/java/org/seqlab/data/Vocab.java").read_text()
        reply = self.shell_reply(self.kc.inspect("Vocab", 3))
        self.assertTrue(reply["found"])
        text = reply["data"]["text/plain"]
        self.assertTrue(text.startswith("org.seqlab.data.Vocab"), text)
        self.assertIn("static Vocab chars(String text)", text)
        self.assertIn("A character-level vocabulary of every character in text", text)
        self.assertIn("A character-level vocabulary of every character in {@code text}", source)  # from the source
        text = self.shell_reply(self.kc.inspect("Vocab.chars", 10))["data"]["text/plain"]
        self.assertIn("Vocab Vocab.chars(String text)\n\nA character-level vocabulary", text)
        code = 'Vocab.chars("ab").encode'  # a method of an expression's type
        text = self.shell_reply(self.kc.inspect(code, len(code)))["data"]["text/plain"]
        self.assertIn("int[] Vocab.encode(String text)\n\nToken ids of text", text)

    def test_completion_gives_kinds_and_lists_the_types_own_members_before_objects(self):
        def complete(code):
            c = self.shell_reply(self.kc.complete(code, len(code)))
            kinds = {t["text"]: t["type"] for t in c["metadata"]["_jupyter_types_experimental"]}
            self.assertEqual(list(kinds), c["matches"])
            return c["matches"], kinds
        matches, kinds = complete('"abc".')
        own = [m for m in matches if m not in ("equals(", "getClass()", "hashCode()", "notify()", "notifyAll()",
                                                "toString()", "wait(")]
        self.assertEqual(matches[:len(own)], own, "Object's methods come after String's own")
        self.assertEqual(matches[-1:], ["wait("])
        self.assertEqual(kinds["charAt("], "method")
        _, kinds = complete("Math.P")
        self.assertEqual(kinds["PI"], "field")
        _, kinds = complete("Voc")
        self.assertEqual(kinds["Vocab"], "class")
        _, kinds = complete("Math.cl")
        self.assertEqual(kinds["class"], "keyword")

    def test_comm_info_and_is_complete_follow_the_protocol(self):
        self.assertEqual(self.shell_reply(self.kc.comm_info()), {"status": "ok", "comms": {}})
        for code, indent in (("void f() {", "    "), ("void f() {\n  int x = 1;", "  "),
                             ("for (int i = 0; i < 3; i++) {\n    if (i > 1) {", "        ")):
            self.assertEqual(self.shell_reply(self.kc.is_complete(code)), {"status": "incomplete", "indent": indent}, code)

    def test_exit_asks_the_frontend_to_end_the_session(self):
        for code in ("exit", "quit", "exit()"):
            reply, _ = self.run_cell(code)
            self.assertEqual(reply["content"]["status"], "ok")
            self.assertEqual(reply["content"]["payload"], [{"source": "ask_exit", "keepkernel": False}])
        self.assertTrue(self.km.is_alive(), "the kernel itself stays until the frontend shuts it down")


class Dependencies(KernelHarness):
    """Issue 10 item 9: %maven from Maven Central (through ~/.m2), and extensions in added jars."""

    def test_maven_resolves_an_artifact_with_its_dependencies(self):
        junit = re.search(r"<junit.version>([^<]+)</junit.version>", (ROOT / "pom.xml").read_text()).group(1)
        # The build put this artifact in the local repository (the kernel finds it there, whatever
        # mirror Maven fetched it through); only a machine without it needs Central itself.
        cached = list(Path.home().glob(f".m2/repository/org/junit/jupiter/junit-jupiter-api/{junit}/*.jar"))
        if not cached:
            try:
                urllib.request.urlopen("https://repo.maven.apache.org/maven2/", timeout=5).close()
            except OSError as e:
                self.skipTest(f"junit-jupiter-api {junit} is not in ~/.m2 and Maven Central is unreachable: {e}")
        reply, msgs = self.run_cell(f"%maven org.junit.jupiter:junit-jupiter-api:{junit}", timeout=180)
        self.assertEqual(reply["content"]["status"], "ok", reply["content"])
        said = self.printed(msgs)
        self.assertIn(f"junit-jupiter-api-{junit}.jar", said)
        self.assertIn("opentest4j", said)  # a dependency of it
        # a class of the artifact and one of its dependency load in the next cell
        self.assertEqual(self.value("org.junit.jupiter.api.Assertions.class.getSimpleName()"), "Assertions")
        where = self.value("org.opentest4j.AssertionFailedError.class.getProtectionDomain().getCodeSource().getLocation().getPath()")
        self.assertIn("opentest4j", where)

    def test_a_bad_coordinate_says_so_and_changes_nothing(self):
        self.assertEqual(self.value("int keep = 7;\nkeep"), "7")
        reply, msgs = self.run_cell("%maven org.seqlab.missing:no-such-artifact:0.0.1\nint notRun = 1;", timeout=180)
        self.assertEqual(reply["content"]["status"], "error")
        self.assertEqual(reply["content"]["ename"], "MavenResolutionException")
        tb = "\n".join(reply["content"]["traceback"])
        self.assertIn("could not resolve org.seqlab.missing:no-such-artifact:0.0.1", tb)
        self.assertIn("nothing was added to the class path", tb)
        reply, _ = self.run_cell("%maven not-a-coordinate")
        self.assertIn("is not group:artifact:version", "\n".join(reply["content"]["traceback"]))
        self.assertEqual(self.value("keep"), "7")
        reply, _ = self.run_cell("notRun")
        self.assertEqual(reply["content"]["status"], "error", "the cell's Java ran after its magic failed")

    def test_jars_added_with_a_magic_install_their_extensions(self):
        work = Path(tempfile.mkdtemp(prefix="seqlab-ext-"))
        self.addCleanup(shutil.rmtree, work, ignore_errors=True)
        src = work / "src/testext/Hello.java"
        src.parent.mkdir(parents=True)
        src.write_text(textwrap.dedent("""\
            package testext;
            public final class Hello implements org.dflib.jjava.jupyter.Extension {
                @Override public void install(org.dflib.jjava.jupyter.kernel.BaseKernel kernel) {
                    System.setProperty("seqlab.test.extension", "installed in " + kernel.getName());
                }
            }"""))
        classes = work / "classes"
        subprocess.run(["javac", "-d", str(classes), "-cp", os.environ["SEQLAB_TEST_CLASSPATH"], str(src)], check=True)
        jar = work / "hello-extension.jar"
        with zipfile.ZipFile(jar, "w") as z:
            z.write(classes / "testext/Hello.class", "testext/Hello.class")
            z.writestr("META-INF/services/org.dflib.jjava.jupyter.Extension", "testext.Hello\n")
        reply, msgs = self.run_cell(f"%jars {jar}")
        self.assertEqual(reply["content"]["status"], "ok", reply["content"])
        self.assertIn("installed extension testext.Hello", self.printed(msgs))
        self.assertEqual(self.value('System.getProperty("seqlab.test.extension")'), "installed in seqlab")
        reply, msgs = self.run_cell(f"%classpath {jar}")  # again: installed once
        self.assertNotIn("installed extension", self.printed(msgs))

        # The extension's jar is deleted while on the class path (as this test's cleanup did before
        # the next test's %maven, which then got no reply at all): later magics still work.
        shutil.rmtree(work)
        other = Path(tempfile.mkdtemp(prefix="seqlab-plain-"))
        self.addCleanup(shutil.rmtree, other, ignore_errors=True)
        with zipfile.ZipFile(other / "plain.jar", "w") as z:
            z.writestr("seqlab-plain.txt", "plain")
        reply, msgs = self.run_cell(f"%jars {other / 'plain.jar'}\nint afterDeleted = 3;")
        self.assertEqual(reply["content"]["status"], "ok", reply["content"])
        self.assertIn("cannot be read", self.printed(msgs))
        self.assertEqual(self.value("afterDeleted"), "3")


class OrphanedKernel(unittest.TestCase):
    """Issue 10 item 6: the kernel exits when the process that started it (JPY_PARENT_PID) dies."""

    def test_kernel_exits_within_seconds_of_its_parent_dying(self):
        parent = subprocess.Popen([sys.executable, "-c", textwrap.dedent(f"""\
            import time
            from jupyter_client.manager import KernelManager
            km = KernelManager(kernel_name={KERNEL_NAME!r})
            km.start_kernel()
            kc = km.client(); kc.start_channels(); kc.wait_for_ready(timeout=120)
            print(km.provisioner.process.pid, flush=True)
            time.sleep(600)""")], stdout=subprocess.PIPE, text=True)
        kernel = int(parent.stdout.readline())
        try:
            self.assertTrue(alive(kernel))
            parent.send_signal(signal.SIGKILL)
            parent.wait()
            died = time.monotonic()
            while alive(kernel) and time.monotonic() - died < 15:
                time.sleep(0.1)
            took = time.monotonic() - died
            print(f"\norphaned kernel exited {took:.2f} s after its parent was killed")
            self.assertFalse(alive(kernel), "the kernel outlived its parent by 15 s")
            self.assertLess(took, 5.0)
        finally:
            if alive(kernel):
                os.kill(kernel, signal.SIGKILL)


def alive(pid):
    """True while pid runs (a zombie waiting for its reaper counts as gone)."""
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return False
    return not re.search(r"^State:\s+Z", status, re.M)


class Console(unittest.TestCase):
    """Issue 11 item 3: jupyter-console shows images' text form, and `exit` ends its session."""

    def test_console_shows_image_text_and_exit_ends_it(self):
        cells = [
            'var chart = new org.knowm.xchart.XYChartBuilder().width(200).height(150).title("loss").build();',
            'chart.addSeries("train", new double[]{1, 2, 3}, new double[]{3, 2, 1});',
            "chart",
            "display(chart);",
            "exit",
            'System.out.println("still running after exit");',
        ]
        start = time.monotonic()
        done = subprocess.run([sys.executable, "-m", "jupyter_console", "--kernel", KERNEL_NAME, "--simple-prompt"],
                              input="\n".join(cells) + "\n", capture_output=True, text=True, timeout=180)
        print(f"\njupyter-console session: {time.monotonic() - start:.1f} s")
        out = done.stdout
        self.assertEqual(done.returncode, 0, done.stderr[-2000:])
        self.assertEqual(out.count('XYChart "loss" (200x150 PNG)'), 2, out)  # the result and the display
        self.assertNotIn("still running after exit", out)
        self.assertNotIn("cannot find symbol", out)
        self.assertNotIn("Do you really want to exit", out)



if __name__ == "__main__":
    unittest.main()
