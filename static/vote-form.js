// The § editor's roll-call vote (templates/minutes/_vote_form.html): "All Ja"/"All Nej", the party
// line from the motions' movers, "Others" for the rows still absent, per-party buttons, keyboard
// entry (J, N, A, F in a row of the voting list, then the next row), and the running tally and
// outcome before the form is saved. Without this script the form is plain selects. Listeners sit
// on the document, so they keep working when htmx swaps the editor.
(() => {
  const KEYS = { j: "yes", n: "no", a: "abstain", f: "" };

  const ballots = (vote) => Array.from(vote.querySelectorAll("select[data-ballot]"));

  function json(id) {
    const data = document.getElementById(id);
    return data ? JSON.parse(data.textContent) : {};
  }

  const decisions = () => json("vote-decisions");

  // The party line: Ja for the parties of the Ja motion's movers, Nej for those of the Nej motion's;
  // a party on both sides, or on neither, is left as it is.
  function partyLine(vote) {
    const sides = json("vote-sides");
    const yes = sides[field(vote, "yes_motion")?.value] || [];
    const no = sides[field(vote, "no_motion")?.value] || [];
    const choices = new Map();
    for (const party of yes) {
      choices.set(party, no.includes(party) ? null : "yes");
    }
    for (const party of no) {
      choices.set(party, yes.includes(party) ? null : "no");
    }
    let changed = false;
    for (const select of ballots(vote)) {
      const choice = choices.get(select.closest("tr").dataset.party);
      if (choice) {
        select.value = choice;
        changed = true;
      }
    }
    if (changed) {
      demanded(vote);
    }
    show(vote);
  }

  function field(vote, name) {
    return vote.querySelector(`[name$='-${name}']`);
  }

  // A ballot given is a vote demanded: tick the box, so that the ballots are saved.
  function demanded(vote) {
    const box = field(vote, "voted");
    if (box && !box.checked) {
      box.checked = true;
    }
  }

  function show(vote) {
    const tally = vote.querySelector("[data-vote-tally]");
    const outcome = vote.querySelector("[data-vote-outcome]");
    if (!tally || !outcome) {
      return;
    }
    const counts = { yes: 0, no: 0, abstain: 0, absent: 0 };
    for (const select of ballots(vote)) {
      counts[select.value || "absent"] += 1;
    }
    tally.textContent = tally.dataset.count.replace(/\{(\w+)\}/g, (_match, key) => String(counts[key]));
    let side = counts.yes > counts.no ? "yes" : counts.no > counts.yes ? "no" : "";
    const casting = field(vote, "casting_vote");
    let verdict = side ? tally.dataset[side === "yes" ? "yesWins" : "noWins"] : tally.dataset.tie;
    if (!side && casting && casting.value) {
      side = casting.value;
      verdict = tally.dataset[side === "yes" ? "yesWins" : "noWins"];
    }
    const motion = side ? field(vote, side === "yes" ? "yes_motion" : "no_motion") : null;
    const decided = motion && motion.value ? decisions()[motion.value] : "";
    outcome.textContent = side && !decided ? tally.dataset.unknown : decided;
    tally.textContent += ` – ${verdict}`;
    tally.hidden = false;
    outcome.hidden = !outcome.textContent;
  }

  function set(vote, selects, choice) {
    for (const select of selects) {
      select.value = choice;
    }
    demanded(vote);
    show(vote);
  }

  function init(root) {
    for (const vote of root.querySelectorAll("[data-vote]")) {
      const tools = vote.querySelector("[data-vote-tools]");
      if (tools) {
        tools.hidden = false;
      }
      for (const select of ballots(vote)) {
        select.setAttribute("aria-keyshortcuts", "J N A F");
      }
      show(vote);
    }
  }

  document.addEventListener("click", (event) => {
    const line = event.target.closest("[data-vote-sides]");
    if (line && line.closest("[data-vote]")) {
      partyLine(line.closest("[data-vote]"));
      return;
    }
    const button = event.target.closest("[data-vote-set]");
    const vote = button && button.closest("[data-vote]");
    if (!vote) {
      return;
    }
    const party = button.dataset.voteParty;
    const rest = button.hasAttribute("data-vote-rest");
    const rows = ballots(vote).filter(
      (select) => (!party || select.closest("tr").dataset.party === party) && (!rest || !select.value),
    );
    set(vote, rows, button.dataset.voteSet);
  });

  document.addEventListener("keydown", (event) => {
    const select = event.target;
    if (!(select instanceof HTMLSelectElement) || !select.hasAttribute("data-ballot")) {
      return;
    }
    const key = event.key.toLowerCase();
    if (event.altKey || event.ctrlKey || event.metaKey || !(key in KEYS)) {
      return;
    }
    event.preventDefault();
    const vote = select.closest("[data-vote]");
    set(vote, [select], KEYS[key]);
    const all = ballots(vote);
    const next = all[all.indexOf(select) + 1];
    (next || vote.closest("form").querySelector("button[type=submit]")).focus();
  });

  document.addEventListener("change", (event) => {
    const vote = event.target.closest && event.target.closest("[data-vote]");
    if (vote) {
      if (event.target.hasAttribute("data-ballot")) {
        demanded(vote);
      }
      show(vote);
    }
  });

  document.addEventListener("htmx:afterSettle", (event) => init(event.target));
  init(document);
})();
