// The notebooks' LaTeX ($…$, $$…$$), typeset by KaTeX once the page has loaded.
renderMathInElement(document.querySelector(".notebook"), {
  delimiters: [
    { left: "$$", right: "$$", display: true },
    { left: "$", right: "$", display: false },
    { left: "\\(", right: "\\)", display: false },
    { left: "\\[", right: "\\]", display: true },
  ],
  throwOnError: false,
  strict: false, // the notebooks write − (U+2212) in text; KaTeX shows it as is
});
