#!/usr/bin/env python3
"""Aggregates JFR CPU samples: top self frames, top inclusive est4j frames, and subsystems.

    bench/jfr-top.py RECORDING.jfr [--events jdk.ExecutionSample,jdk.NativeMethodSample] [-n 25]

Runs `jfr print --events ... --stack-depth 96` (JFR from $JAVA_HOME or PATH; set JFR=... to
choose another jfr binary). jdk.NativeMethodSample counts threads sitting in a native method,
blocked ones included (epoll_wait, accept), so it is reported separately and filtered to frames
that burn CPU (Conscrypt's NativeCrypto).
"""
import argparse
import collections
import os
import re
import shutil
import subprocess
import sys

FRAME = re.compile(r"^\s+([\w$.<>/\[\]]+)\((.*?)\)(\s+line:.*)?$")

# First match wins, checked from the leaf up, so the innermost subsystem gets the sample.
SUBSYSTEMS = [
    ("TLS record/handshake (Conscrypt)", ("org.conscrypt.ConscryptEngine", "org.conscrypt.SSLUtils",
                                          "org.conscrypt.NativeSsl", "org.conscrypt.ConscryptEngineSocket")),
    ("X.509 parse (Conscrypt CertificateFactory)", ("org.conscrypt.OpenSSLX509",)),
    ("CSR key/verify (Conscrypt)", ("org.conscrypt.OpenSSLKey", "org.conscrypt.OpenSSLECKeyFactory",
                                    "org.conscrypt.OpenSSLSignature", "org.conscrypt.OpenSSLMessageDigest")),
    ("Conscrypt other", ("org.conscrypt.",)),
    ("JDK crypto (SunEC/SunJSSE)", ("sun.security.ec.", "sun.security.ssl.", "sun.security.util.math",
                                    "sun.security.provider.", "com.sun.crypto.")),
    ("Bouncy Castle ASN.1/cert building", ("org.bouncycastle.",)),
    ("logging (logback/slf4j)", ("ch.qos.logback.", "org.slf4j.")),
    ("est4j", ("org.est4j.",)),
    ("Jetty HTTP", ("org.eclipse.jetty.http.", "org.eclipse.jetty.server.")),
    ("Jetty I/O / SSL / threads", ("org.eclipse.jetty.",)),
    ("NIO / sockets", ("sun.nio.", "java.nio.channels", "sun.net.")),
]


def jfr_binary():
    if os.environ.get("JFR"):
        return os.environ["JFR"]
    home = os.environ.get("JAVA_HOME")
    if home and os.path.exists(os.path.join(home, "bin", "jfr")):
        return os.path.join(home, "bin", "jfr")
    return shutil.which("jfr") or sys.exit("no jfr binary: set JFR or JAVA_HOME")


def stacks(recording, event):
    out = subprocess.run([jfr_binary(), "print", "--events", event, "--stack-depth", "96", recording],
                         check=True, capture_output=True, text=True).stdout
    current = None
    for line in out.splitlines():
        if "stackTrace = [" in line:
            current = []
        elif line.strip() == "]" and current is not None:
            yield current
            current = None
        elif current is not None:
            m = FRAME.match(line)
            if m:
                current.append(m.group(1))


def subsystem(stack):
    for frame in stack:
        for name, prefixes in SUBSYSTEMS:
            if frame.startswith(prefixes):
                return name
    return "JDK/other: " + (stack[0].rsplit(".", 1)[0] if stack else "?")


def report(title, samples, n):
    total = len(samples)
    print(f"\n== {title}: {total} samples")
    if not total:
        return
    leaf = collections.Counter(s[0] for s in samples if s)
    print(f"-- top {n} self frames")
    for f, c in leaf.most_common(n):
        print(f"{100.0 * c / total:6.1f}%  {c:6d}  {f}")
    incl = collections.Counter()
    for s in samples:
        for f in set(s):
            if f.startswith("org.est4j.") or f.startswith("org.bouncycastle.cert") \
                    or f.startswith("java.security.cert.CertificateFactory") \
                    or f.startswith("org.conscrypt.OpenSSLX509Certificate.") \
                    or f.startswith("java.security.KeyFactory"):
                incl[f] += 1
    print(f"-- top {n} inclusive est4j / certificate frames")
    for f, c in incl.most_common(n):
        print(f"{100.0 * c / total:6.1f}%  {c:6d}  {f}")
    subs = collections.Counter(subsystem(s) for s in samples)
    print("-- by subsystem (innermost)")
    for f, c in subs.most_common(n):
        print(f"{100.0 * c / total:6.1f}%  {c:6d}  {f}")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("recording")
    ap.add_argument("-n", type=int, default=25)
    args = ap.parse_args()
    java = list(stacks(args.recording, "jdk.ExecutionSample"))
    report("jdk.ExecutionSample (Java code on CPU)", java, args.n)
    native = list(stacks(args.recording, "jdk.NativeMethodSample"))
    leaf = collections.Counter(s[0] for s in native if s)
    print(f"\n== jdk.NativeMethodSample: {len(native)} samples (threads in native code, blocked or not)")
    for f, c in leaf.most_common(12):
        print(f"{100.0 * c / max(1, len(native)):6.1f}%  {c:6d}  {f}")


if __name__ == "__main__":
    main()
