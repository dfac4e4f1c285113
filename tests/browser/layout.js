// The layout check, run in the page: what a person would see as broken, returned as a list of findings.
// ({navigation, content}) => string[]: `content` checks the page's main content, `navigation` the main menu.
({ navigation, content }) => {
  const findings = [];
  const width = document.documentElement.clientWidth;

  const describe = (element) => {
    const name = (element.getAttribute("aria-label") || element.textContent || element.value || "")
      .replace(/\s+/g, " ")
      .trim()
      .slice(0, 40);
    const id = element.id ? `#${element.id}` : "";
    return `<${element.tagName.toLowerCase()}${id}>${name ? ` "${name}"` : ""}`;
  };
  // Shown to a person: it has a box, is rendered (not hidden, not inside a closed <details>, whose content
  // keeps its boxes), and is not clipped away for screen readers only (Bootstrap's visually-hidden, the
  // select a searchable list replaces, a toggle button's own input).
  const shown = (element) => {
    const box = element.getBoundingClientRect();
    if (box.width < 3 || box.height < 3) return false;
    if (
      !element.checkVisibility({
        contentVisibilityAuto: true,
        opacityProperty: true,
        visibilityProperty: true,
      })
    )
      return false;
    for (let node = element; node && node !== document.body; node = node.parentElement) {
      const style = getComputedStyle(node);
      if (style.clip !== "auto" || style.clipPath !== "none") return false;
    }
    return true;
  };
  const overlap = (a, b) => {
    const x = Math.min(a.right, b.right) - Math.max(a.left, b.left);
    const y = Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top);
    return x > 2 && y > 2;
  };
  // Content that scrolls inside its own box (a wide table in .table-responsive) is not page overflow.
  const scrollsInside = (element) => {
    for (let node = element.parentElement; node && node !== document.body; node = node.parentElement) {
      if (["auto", "scroll", "hidden", "clip"].includes(getComputedStyle(node).overflowX)) return true;
    }
    return false;
  };

  if (content) checkContent();
  if (navigation) checkNavigation();
  return findings;

  function checkContent() {
    // 1. No horizontal overflow of the page.
    const overflow = document.documentElement.scrollWidth - width;
    if (overflow > 1) {
      const wide = [...document.body.querySelectorAll("*")].filter(
        (element) => element.getBoundingClientRect().right > width + 1 && element.checkVisibility(),
      );
      const outermost = (elements) =>
        elements.filter((element) => !elements.some((other) => other !== element && other.contains(element)));
      // What sticks out of the page, or else what escapes a scrolling box by absolute positioning.
      const loose = outermost(wide.filter((element) => !scrollsInside(element)));
      const culprits = (loose.length ? loose : wide.filter((e) => getComputedStyle(e).position === "absolute"))
        .slice(0, 3)
        .map(describe);
      findings.push(`page is ${overflow}px wider than the window: ${culprits.join(", ")}`);
    }

    // 2. No two visible form controls or labels whose boxes overlap.
    const controls = [
      ...document.querySelectorAll(
        "main input:not([type=hidden]), main select, main textarea, main button, main label, main .ts-wrapper",
      ),
    ].filter(shown);
    const boxes = controls.map((element) => element.getBoundingClientRect());
    for (let i = 0; i < controls.length; i++) {
      for (let j = i + 1; j < controls.length; j++) {
        const [a, b] = [controls[i], controls[j]];
        if (a.contains(b) || b.contains(a)) continue;
        if (a.control === b || b.control === a) continue; // a label drawn over its own field
        if (overlap(boxes[i], boxes[j])) findings.push(`${describe(a)} overlaps ${describe(b)}`);
      }
    }

    // 3. Every label clickable: it names a control, and a click on it reaches it (nothing lies on top).
    const hit = (element) => {
      element.scrollIntoView({ block: "center", inline: "center", behavior: "instant" }); // not Bootstrap's smooth scrolling
      const box = element.getBoundingClientRect();
      const top = document.elementFromPoint(box.left + box.width / 2, box.top + box.height / 2);
      return top;
    };
    for (const label of controls.filter((element) => element.tagName === "LABEL")) {
      const control = label.control;
      if (!control) {
        findings.push(`${describe(label)} is the label of no field`);
        continue;
      }
      const top = hit(label);
      if (!top || !(label.contains(top) || top === control || control.contains(top))) {
        findings.push(`${describe(label)} cannot be clicked: ${top ? describe(top) : "nothing"} lies on it`);
      }
    }
    for (const control of controls.filter((element) =>
      ["INPUT", "SELECT", "TEXTAREA"].includes(element.tagName),
    )) {
      const top = hit(control);
      const own =
        top &&
        (top === control ||
          control.contains(top) ||
          [...(control.labels || [])].some((label) => label.contains(top)));
      if (!own)
        findings.push(
          `${describe(control)} cannot be clicked: ${top ? describe(top) : "nothing"} lies on it`,
        );
    }
    window.scrollTo({ top: 0, left: 0, behavior: "instant" });
  }

  // 4. The main navigation on one line, no entry wrapping, nothing past the window's edge.
  function checkNavigation() {
    const menu = document.querySelector("header nav");
    const entries = [...menu.querySelectorAll("li")].filter(
      (item) => shown(item) && !item.parentElement.closest("li"),
    );
    const heights = entries.map((item) => item.getBoundingClientRect().height);
    const line = Math.min(...heights);
    const tops = entries.map((item) => item.getBoundingClientRect().top);
    if (Math.max(...tops) - Math.min(...tops) > line / 2)
      findings.push("the main navigation runs onto a second line");
    entries
      .filter((item, index) => heights[index] > line * 1.5)
      .forEach((item) => findings.push(`${describe(item)} wraps in the main navigation`));
    entries
      .filter((item) => item.getBoundingClientRect().right > width + 1)
      .forEach((item) => findings.push(`${describe(item)} runs past the window's edge`));
  }
};
