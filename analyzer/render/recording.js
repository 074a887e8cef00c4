// One recording's view, shared by the grading report (grade.html) and the practice page:
// a player, the findings on a timeline under the waveform (click one to play from there),
// the transcript with the flagged words marked, the measurements; and, for a recording heard
// through the phone line, its version "as they will hear it" and that version's transcript beside them.
function el(tag, attrs, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (k === "class") node.className = v; else if (k.startsWith("on")) node.addEventListener(k.slice(2), v);
    else node.setAttribute(k, v);
  }
  for (const child of children) if (child !== null && child !== undefined) node.append(child);
  return node;
}
const clock = s => `${Math.floor(s / 60)}:${(s % 60).toFixed(1).padStart(4, "0")}`;
const grade = s => s >= 80 ? "good" : s >= 50 ? "fair" : "poor";

// one recording: player, findings on a timeline (click to play from there), marked transcript
function recordingView(r, index) {
  const audio = el("audio", {controls: "", preload: "auto", src: r.audio || ""});
  const seek = t => { audio.currentTime = t; const p = audio.play(); if (p) p.catch(() => {}); };
  const duration = Math.max(r.duration, 0.1), pct = t => `${100 * t / duration}%`;
  const timeline = el("div", {class: "timeline", title: "findings along the recording"},
    el("div", {class: "speech", style: `left:${pct(r.speech[0])};width:${pct(r.speech[1] - r.speech[0])}`}));
  const wave = el("canvas", {class: "waveform", width: "1000", height: "48", "aria-hidden": "true"});
  if (r.audio) drawWaveform(wave, r.audio);
  const head = el("div", {class: "playhead", style: "left:0"});
  timeline.append(head);
  audio.addEventListener("timeupdate", () => { head.style.left = pct(audio.currentTime); });
  const line = r.measures.phone_line;  // the line's transcript is shown whether or not its version can be played
  const lineAudio = line && r.line_audio ? el("audio", {controls: "", preload: "auto", src: r.line_audio, class: "line-audio",
                                        "aria-label": `As they will hear it: ${line.what}`}) : null;
  if (lineAudio) {
    // the two versions have the same length: one timeline serves both; one plays at a time, to compare
    lineAudio.addEventListener("timeupdate", () => { head.style.left = pct(lineAudio.currentTime); });
    audio.addEventListener("play", () => lineAudio.pause());
    lineAudio.addEventListener("play", () => audio.pause());
  }
  const list = el("div", {});
  for (const f of r.findings) {
    const at = f.start ?? 0;
    if (f.start !== null) {
      timeline.append(el("button", {class: `mark sev-${f.severity}`, title: `${f.name}: ${f.message}`,
        "aria-label": `${f.severity} ${f.name} at ${clock(f.start)}: play from there`,
        style: `left:${pct(f.start)};width:${pct(Math.max(f.end - f.start, 0))}`, "data-start": at,
        onclick: () => seek(at)}));
    }
    list.append(el("button", {class: `finding sev-${f.severity}`, "data-start": at, onclick: () => seek(at)},
      el("b", {}, f.start === null ? "whole message" : `${clock(f.start)}–${clock(f.end)}`), ` ${f.severity} `,
      el("b", {}, f.name), ` (${f.code}) ${f.message}`, el("br"), el("span", {class: "hint"}, "→ " + f.hint)));
  }
  const rank = {info: 1, warning: 2, error: 3}, worst = {};
  for (const f of r.findings) for (const [a, b] of f.words) for (let i = a; i <= b; i++)
    if (!worst[i] || rank[f.severity] > rank[worst[i]]) worst[i] = f.severity;
  const words = el("p", {class: "transcript"});
  r.words.forEach((w, i) => {
    if (!w[0]) return;  // a phone number's other words: the number is shown once, grouped
    const span = el("span", {class: worst[i] ? `w-${worst[i]}` : "", "data-start": w[1]}, w[0]);
    span.addEventListener("click", () => seek(w[1]));
    words.append(span, " ");
  });
  const m = r.measures;
  const players = lineAudio ? el("div", {class: "versions"},
    el("div", {class: "version"}, el("div", {class: "version-label"}, "As you recorded it"), audio),
    el("div", {class: "version line"}, el("div", {class: "version-label"}, `As they will hear it: ${line.what}`),
      lineAudio)) : audio;
  const transcripts = line ? el("div", {class: "versions"},
    el("div", {class: "version"}, el("div", {class: "version-label"}, "What you said"), words),
    el("div", {class: "version line"}, el("div", {class: "version-label"}, "What their phone's transcript reads"),
      lineTranscript(line, lineAudio && (t => { lineAudio.currentTime = t; const p = lineAudio.play(); if (p) p.catch(() => {}); }))))
    : words;
  // as the terminal shows them: 20.1 s, 168 wpm, 2.9 digits/s
  const fixed = (x, digits) => x === null || x === undefined ? "–" : Number(x).toFixed(digits);
  const numbers = m.phone_numbers.map((n, k) => `${r.numbers[k]} at ${clock(n.start)} (${fixed(n.digits_per_s, 1)} digits/s)`).join("; ") || "no number said";
  const voice = m.pitch_median_hz === null || m.pitch_median_hz === undefined ? "" :
    ` · pitch ${fixed(m.pitch_median_hz, 0)} Hz ± ${fixed(m.pitch_variation_st, 1)} semitones, level ${fixed(m.loudness_dbfs, 0)} dBFS`;
  const pauses = m.pauses.length === 1 ? "1 pause" : `${m.pauses.length} pauses`;
  return el("section", {class: "recording", id: `rec-${index}`},
    el("h3", {}, `${r.rep ? r.rep + " / " : ""}${r.file} · `, el("span", {class: "score " + grade(r.score)}, `score ${r.score}`)),
    players, wave, timeline, list.childElementCount ? list : el("p", {class: "good"}, "No findings: this message keeps every habit."),
    transcripts,
    el("div", {class: "measures"}, `spoken ${fixed(m.spoken_length_s, 1)} s · ${fixed(m.speaking_rate_wpm, 0)} wpm ` +
      `(${fixed(m.articulation_rate_wpm, 0)} without pauses) · silence ${fixed(m.leading_silence_s, 1)} s before, ` +
      `${fixed(m.trailing_silence_s, 1)} s after · ${pauses} of 0.5 s or more, longest ${fixed(m.longest_pause_s, 1)} s` +
      `${voice} · numbers: ${numbers}`));
}

// what the prospect's phone would read; a word plays the line's version from there (`seek`, when the
// page has it), and the words over a reading of the number that did not survive the line are marked
// with what became of it
function lineTranscript(line, seek) {
  const box = el("p", {class: "transcript line-transcript"});
  const lost = line.readings.filter(g => g.checked && !g.survives);
  for (const w of line.words) {
    // a word is over a reading as measure/line.py quotes it (WORD_SLACK_S)
    const mid = (w.start + w.end) / 2, reading = lost.find(g => mid >= g.start - 0.15 && mid <= g.end + 0.15);
    const span = el("span", reading ? {class: "lost", title: `the number: ${reading.differs}`} : {}, w.text.trim());
    if (seek) span.addEventListener("click", () => seek(w.start));
    box.append(span, " ");
  }
  if (!line.words.length) box.append(el("span", {class: "dim"}, "(nothing)"));
  return box;
}

// the waveform, decoded by the browser from the player's own source
async function drawWaveform(canvas, src) {
  try {
    const bytes = await (await fetch(src)).arrayBuffer();
    const buffer = await new OfflineAudioContext(1, 1, 44100).decodeAudioData(bytes);
    const samples = buffer.getChannelData(0), columns = canvas.width, step = Math.max(1, Math.floor(samples.length / columns));
    const g = canvas.getContext("2d"), mid = canvas.height / 2;
    g.fillStyle = "#8a98ab";
    for (let x = 0; x < columns; x++) {
      let peak = 0;
      for (let i = x * step; i < Math.min((x + 1) * step, samples.length); i++) peak = Math.max(peak, Math.abs(samples[i]));
      const h = Math.max(1, peak * mid);
      g.fillRect(x, mid - h, 1, 2 * h);
    }
  } catch (e) { canvas.remove(); }  // a report without its waveform is still a report
}
