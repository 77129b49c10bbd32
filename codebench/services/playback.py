"""Playing a stretch of a recording through an external player found at run time.

codebench plays no audio itself: it drives a player already on the machine. mpv is preferred:
it runs idle in the background and takes commands over its JSON IPC socket (load, seek, pause)
and reports where it is, so playback can stop at a turn's end and the transcript's caret can
follow it. ffplay (from FFmpeg) is the fallback: one process per stretch played, paused by
stopping the process, its position counted by the clock.

``CODEBENCH_PLAYER`` chooses (``mpv``, ``ffplay``, ``none``); ``CODEBENCH_AUDIO_OUTPUT=null``
plays silently (for tests and machines without a sound card).
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from codebench.errors import ServiceError

PLAYER_VARIABLE = "CODEBENCH_PLAYER"
OUTPUT_VARIABLE = "CODEBENCH_AUDIO_OUTPUT"
NO_AUDIO_OUTPUT = (f"mpv could not open an audio output (no sound device here?): set {OUTPUT_VARIABLE}=null to "
                   "play silently (the caret still follows the recording), or check the sound setup "
                   "(PulseAudio, PipeWire or ALSA) and press the key again")
"""Said when mpv runs but has no audio output: its own words were "mpv: seek: error running command"."""

AUDIO_OUTPUT_WAIT = 2.0
"""Seconds mpv may take to open its audio output when playback first starts."""

NO_PLAYER = ("no audio player found: install mpv (Debian/Ubuntu: apt install mpv; macOS: brew install mpv) "
             "or FFmpeg's ffplay, then press the key again")


@dataclass(frozen=True)
class PlayRequest:
    """What was asked of the player last: which file, from where, to where (None: to the end)."""

    path: str
    start: float
    end: float | None


class Player(Protocol):
    """What the workbench needs of a player; every time is in seconds of the recording."""

    name: str
    last_request: PlayRequest | None

    def play(self, path: str, start: float, end: float | None) -> None:
        """Play ``path`` from ``start``, pausing at ``end`` (None: play on)."""

    def toggle_pause(self) -> bool:
        """Pause or resume; returns whether it is paused now."""

    def replay(self, seconds: float) -> None:
        """Go back ``seconds`` and play on (to the same end as before)."""

    def position(self) -> float | None:
        """Where playback is, or None before anything was played."""

    def duration(self) -> float | None:
        """The length of the loaded recording, when the player knows it."""

    def is_paused(self) -> bool:
        """Whether playback is paused (or stopped)."""

    def close(self) -> None:
        """Stop playing and end the player process."""


def available_players() -> list[str]:
    """The players on this machine that codebench can drive, best first."""
    return [name for name in ("mpv", "ffplay") if shutil.which(name)]


def find_player() -> Player:
    """The best player on this machine (``CODEBENCH_PLAYER`` may choose one).

    Raises:
        ServiceError: no player is installed (the message says what to install).
    """
    wanted = os.environ.get(PLAYER_VARIABLE, "").strip().casefold()
    if wanted == "none":
        raise ServiceError(NO_PLAYER)
    found = available_players()
    if wanted:
        if wanted not in ("mpv", "ffplay"):
            raise ServiceError(f"{PLAYER_VARIABLE}={wanted!r}: codebench can drive mpv or ffplay")
        if wanted not in found:
            raise ServiceError(f"{PLAYER_VARIABLE} asks for {wanted}, which is not installed")
        found = [wanted]
    if not found:
        raise ServiceError(NO_PLAYER)
    silent = os.environ.get(OUTPUT_VARIABLE, "").strip().casefold() == "null"
    return MpvPlayer(silent=silent) if found[0] == "mpv" else FfplayPlayer(silent=silent)


class MpvPlayer:
    """mpv running idle in the background, driven over its JSON IPC socket."""

    name = "mpv"

    def __init__(self, *, silent: bool = False, executable: str = "mpv", options: tuple[str, ...] = ()) -> None:
        """
        Args:
            silent: play to no audio output (``--ao=null``).
            executable: the mpv to run.
            options: further mpv options (a test names an audio device that does not exist).
        """
        self.silent = silent
        self.executable = executable
        self.options = tuple(options)
        self._output_seen = False  # mpv opened an audio output once: not asked again
        self.last_request: PlayRequest | None = None
        self._process: subprocess.Popen[bytes] | None = None
        self._socket: socket.socket | None = None
        self._folder: str | None = None
        self._loaded: str | None = None
        self._lock = threading.Lock()
        self._replies: dict[int, tuple[threading.Event, dict[str, Any]]] = {}
        self._next_id = 1
        self._position: float | None = None
        self._paused = True
        self._stop_at: float | None = None
        self._file_loaded = threading.Event()

    # -- the process and its socket ------------------------------------------------------------

    def _start(self) -> None:
        if self._process is not None and self._process.poll() is None:
            return
        self._folder = tempfile.mkdtemp(prefix="codebench-mpv-")  # owner-only, as mkdtemp makes it
        path = os.path.join(self._folder, "ipc")
        args = [self.executable, "--idle=yes", "--no-video", "--no-terminal", "--no-config", "--keep-open=yes",
                "--pause", f"--input-ipc-server={path}"]
        if self.silent:
            args.append("--ao=null")
        args += self.options
        try:
            self._process = subprocess.Popen(args, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                                             stderr=subprocess.DEVNULL, start_new_session=True)
        except OSError as exc:
            raise ServiceError(f"could not start mpv: {exc.strerror}") from None
        deadline = time.monotonic() + 10
        while True:  # mpv makes the socket a moment after it starts
            if self._process.poll() is not None:
                raise ServiceError("mpv stopped as it started (is an audio output available?)")
            try:
                client = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
                client.connect(path)
                break
            except OSError:
                client.close()
                if time.monotonic() > deadline:
                    self.close()
                    raise ServiceError("mpv did not open its control socket") from None
                time.sleep(0.02)
        self._socket = client
        threading.Thread(target=self._read, args=(client,), name="mpv-ipc", daemon=True).start()
        self._send(["observe_property", 1, "time-pos"], wait=False)
        self._send(["observe_property", 2, "pause"], wait=False)

    def _read(self, client: socket.socket) -> None:
        """Replies and events from mpv, one JSON object a line (runs in its own thread)."""
        buffer = b""
        while True:
            try:
                chunk = client.recv(65536)
            except OSError:
                return
            if not chunk:
                return
            buffer += chunk
            while b"\n" in buffer:
                line, buffer = buffer.split(b"\n", 1)
                try:
                    message = json.loads(line)
                except ValueError:
                    continue
                self._handle(message)

    def _handle(self, message: dict[str, Any]) -> None:
        if "request_id" in message and message["request_id"] in self._replies:
            event, holder = self._replies[message["request_id"]]
            holder.update(message)
            event.set()
            return
        kind = message.get("event")
        if kind == "property-change" and message.get("name") == "time-pos":
            position = message.get("data")
            if isinstance(position, (int, float)):
                self._position = float(position)
                if self._stop_at is not None and self._position >= self._stop_at:
                    self._stop_at = None
                    self._send(["set_property", "pause", True], wait=False)
        elif kind == "property-change" and message.get("name") == "pause":
            self._paused = bool(message.get("data"))
        elif kind == "file-loaded":
            self._file_loaded.set()

    def _send(self, command: list[Any], *, wait: bool = True, timeout: float = 10.0) -> Any:
        """Send one command; with ``wait``, return its data (or raise on mpv's error)."""
        if self._socket is None:
            raise ServiceError("mpv is not running")
        with self._lock:
            request_id = self._next_id
            self._next_id += 1
            event = threading.Event()
            holder: dict[str, Any] = {}
            if wait:
                self._replies[request_id] = (event, holder)
            try:
                self._socket.sendall(json.dumps({"command": command, "request_id": request_id}).encode() + b"\n")
            except OSError:
                raise ServiceError("mpv stopped; press the key again to start it anew") from None
        if not wait:
            return None
        try:
            if not event.wait(timeout):
                raise ServiceError(f"mpv did not answer {command[0]}")
        finally:
            self._replies.pop(request_id, None)
        if holder.get("error") not in (None, "success"):
            raise ServiceError(f"mpv: {command[0]}: {holder['error']}")
        return holder.get("data")

    # -- Player ----------------------------------------------------------------------------------

    def play(self, path: str, start: float, end: float | None) -> None:
        """Play ``path`` from ``start`` and pause at ``end``."""
        self._start()
        self.last_request = PlayRequest(path, start, end)
        if self._loaded != path:
            self._file_loaded.clear()
            self._send(["loadfile", path, "replace"])
            if not self._file_loaded.wait(10):
                raise ServiceError("mpv could not load the recording")
            self._loaded = path
        self._stop_at = None
        try:
            self._send(["seek", max(0.0, start), "absolute+exact"])
            self._position = max(0.0, start)
            self._stop_at = end
            self._send(["set_property", "pause", False])
        except ServiceError:
            # Without an audio output mpv refuses the seek ("error running command"): say what is
            # wrong and what to do rather than pass its words on.
            if not self._has_audio_output():
                raise ServiceError(NO_AUDIO_OUTPUT) from None
            raise
        self._paused = False
        if not self._output_seen and not self._wait_for_audio_output():
            # mpv plays on to no output (and the caret would follow silence): stop and say why.
            self._send(["set_property", "pause", True], wait=False)
            raise ServiceError(NO_AUDIO_OUTPUT)

    def _has_audio_output(self) -> bool:
        """Whether mpv has an audio output open (its ``current-ao`` property is unavailable without)."""
        if self.silent:
            return True
        try:
            return bool(self._send(["get_property", "current-ao"], timeout=2.0))
        except ServiceError:
            return False

    def _wait_for_audio_output(self) -> bool:
        """Wait (at most :data:`AUDIO_OUTPUT_WAIT` s, the first time only) for mpv's audio output to open."""
        deadline = time.monotonic() + AUDIO_OUTPUT_WAIT
        while not self._has_audio_output():
            if time.monotonic() > deadline:
                return False
            time.sleep(0.05)
        self._output_seen = True
        return True

    def toggle_pause(self) -> bool:
        """Pause or resume."""
        if self._process is None:
            return True
        paused = not bool(self._send(["get_property", "pause"]))
        request = self.last_request
        if not paused and request is not None and request.end is not None and self._stop_at is None:
            # Resuming after the turn's end plays on into the next turns.
            self.last_request = PlayRequest(request.path, request.start, None)
        self._send(["set_property", "pause", paused])
        self._paused = paused
        return paused

    def replay(self, seconds: float) -> None:
        """Back ``seconds`` from where playback is, and play."""
        if self.last_request is None:
            return
        here = self.position() or self.last_request.start
        back = max(0.0, here - seconds)
        self._send(["seek", back, "absolute+exact"])
        self._position = back
        end = self.last_request.end
        self._stop_at = end if end is not None and end > back else None
        self.last_request = PlayRequest(self.last_request.path, back, self._stop_at)
        self._send(["set_property", "pause", False])
        self._paused = False

    def position(self) -> float | None:
        """Where playback is (asked of mpv)."""
        if self._process is None or self._loaded is None:
            return None
        value = self._send(["get_property", "time-pos"])
        if isinstance(value, (int, float)):
            self._position = float(value)
        return self._position

    def duration(self) -> float | None:
        """The recording's length, as mpv decoded it."""
        if self._process is None or self._loaded is None:
            return None
        value = self._send(["get_property", "duration"])
        return float(value) if isinstance(value, (int, float)) else None

    def is_paused(self) -> bool:
        """Whether mpv is paused (it pauses itself at a turn's end)."""
        if self._process is None:
            return True
        return bool(self._send(["get_property", "pause"]))

    def close(self) -> None:
        """Quit mpv and remove its socket."""
        if self._socket is not None:
            try:
                self._send(["quit"], wait=False)
            except ServiceError:
                pass
            self._socket.close()
            self._socket = None
        if self._process is not None:
            try:
                self._process.wait(timeout=3)
            except subprocess.TimeoutExpired:
                self._process.kill()
                self._process.wait()
            self._process = None
        if self._folder is not None:
            shutil.rmtree(self._folder, ignore_errors=True)
            self._folder = None
        self._loaded = None


class FfplayPlayer:
    """ffplay as a fallback: one process per stretch, paused by stopping it, timed by the clock."""

    name = "ffplay"

    def __init__(self, *, silent: bool = False, executable: str = "ffplay") -> None:
        self.silent = silent
        self.executable = executable
        self.last_request: PlayRequest | None = None
        self._process: subprocess.Popen[bytes] | None = None
        self._began = 0.0  # monotonic time the current stretch started (moved on by pauses)
        self._paused_at: float | None = None
        self._from = 0.0

    def play(self, path: str, start: float, end: float | None) -> None:
        """Play ``path`` from ``start`` to ``end`` in a new ffplay process."""
        self._stop()
        self.last_request = PlayRequest(path, start, end)
        args = [self.executable, "-nodisp", "-autoexit", "-loglevel", "error", "-ss", f"{max(0.0, start):.3f}"]
        if end is not None:
            args += ["-t", f"{max(0.05, end - start):.3f}"]
        args.append(path)
        env = dict(os.environ)
        if self.silent:
            env["SDL_AUDIODRIVER"] = "dummy"
        try:
            self._process = subprocess.Popen(args, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                                             stderr=subprocess.DEVNULL, env=env, start_new_session=True)
        except OSError as exc:
            raise ServiceError(f"could not start ffplay: {exc.strerror}") from None
        self._from = max(0.0, start)
        self._began = time.monotonic()
        self._paused_at = None

    def _running(self) -> bool:
        return self._process is not None and self._process.poll() is None

    def toggle_pause(self) -> bool:
        """Stop or continue the ffplay process."""
        if not self._running():
            if self.last_request is not None and self._paused_at is None:
                request = self.last_request
                where = self.position() or request.start
                # A stretch played to its end goes on into the next turns.
                self.play(request.path, where, request.end if request.end is not None and where < request.end else None)
                return False
            return True
        assert self._process is not None
        if self._paused_at is None:
            os.kill(self._process.pid, signal.SIGSTOP)
            self._paused_at = time.monotonic()
            return True
        os.kill(self._process.pid, signal.SIGCONT)
        self._began += time.monotonic() - self._paused_at
        self._paused_at = None
        return False

    def replay(self, seconds: float) -> None:
        """Start again ``seconds`` before where playback is."""
        if self.last_request is None:
            return
        here = self.position() or self.last_request.start
        self.play(self.last_request.path, max(0.0, here - seconds), self.last_request.end)

    def position(self) -> float | None:
        """Where playback is, by the clock."""
        if self.last_request is None:
            return None
        now = self._paused_at if self._paused_at is not None else time.monotonic()
        where = self._from + (now - self._began)
        end = self.last_request.end
        return min(where, end) if end is not None else where

    def duration(self) -> float | None:
        """The recording's length from ffprobe, when it is installed."""
        if self.last_request is None or not shutil.which("ffprobe"):
            return None
        done = subprocess.run(["ffprobe", "-v", "error", "-show_entries", "format=duration", "-of", "csv=p=0",
                               self.last_request.path], capture_output=True, text=True, check=False)
        try:
            return float(done.stdout.strip())
        except ValueError:
            return None

    def is_paused(self) -> bool:
        """Paused, or finished its stretch."""
        return self._paused_at is not None or not self._running()

    def _stop(self) -> None:
        if self._process is not None:
            if self._process.poll() is None:
                if self._paused_at is not None:
                    os.kill(self._process.pid, signal.SIGCONT)
                self._process.terminate()
                try:
                    self._process.wait(timeout=3)
                except subprocess.TimeoutExpired:
                    self._process.kill()
                    self._process.wait()
            self._process = None

    def close(self) -> None:
        """Stop playing."""
        self._stop()


def media_duration(path: str | Path) -> float | None:
    """A recording's length in seconds, asked of ffprobe (None when it cannot say)."""
    if not shutil.which("ffprobe"):
        return None
    done = subprocess.run(["ffprobe", "-v", "error", "-show_entries", "format=duration", "-of", "csv=p=0", str(path)],
                          capture_output=True, text=True, check=False)
    try:
        return float(done.stdout.strip())
    except ValueError:
        return None
