// Warns a signed-in staff member two minutes before the session ends (WCAG 2.2.1 Timing Adjustable) and lets
// them continue it. The server decides: before warning, the script asks how long is left, because activity in
// another tab may have extended the session. Without scripts nothing is shown and the server still ends it.
(() => {
  'use strict';
  const box = document.getElementById('session-timeout');
  if (!box) {
    return;
  }

  const warnMs = 2 * 60 * 1000;
  const text = document.getElementById('session-timeout-text');
  const form = document.getElementById('session-timeout-extend');
  const signIn = document.getElementById('session-timeout-sign-in');
  const title = document.getElementById('session-timeout-title');
  let timer = 0;
  let focusBefore = null;

  function show(kind) {
    text.textContent = text.dataset[kind];
    form.hidden = kind !== 'idle';
    signIn.hidden = kind !== 'ended';
    if (box.hidden) {
      focusBefore = document.activeElement;
      box.hidden = false;
      // An alertdialog takes the focus: on "Continue" when it can be pressed, else on the heading.
      (kind === 'idle' ? form.querySelector('button') : title).focus();
    } else if (kind !== 'idle' && box.contains(document.activeElement)) {
      title.focus();
    }
  }

  function hide() {
    if (box.hidden) {
      return;
    }

    const hadFocus = box.contains(document.activeElement);
    box.hidden = true;
    if (hadFocus && focusBefore && document.contains(focusBefore)) {
      focusBefore.focus();
    }
  }

  function plan(status) {
    clearTimeout(timer);
    const idle = status.idleSeconds * 1000;
    const absolute = status.absoluteSeconds * 1000;
    const left = Math.min(idle, absolute);
    if (left <= 0) {
      show('ended');
    } else if (left > warnMs) {
      hide();
      timer = setTimeout(check, left - warnMs);
    } else {
      show(absolute <= idle ? 'absolute' : 'idle');
      timer = setTimeout(check, left);
    }
  }

  function check() {
    fetch(box.dataset.statusUrl, { headers: { Accept: 'application/json' }, credentials: 'same-origin', cache: 'no-store' })
      .then((response) => (response.ok ? response.json() : Promise.reject(new Error(String(response.status)))))
      .then(plan)
      .catch(() => {
        // The server could not be asked: warn anyway and ask again shortly.
        show('idle');
        clearTimeout(timer);
        timer = setTimeout(check, 30 * 1000);
      });
  }

  form.addEventListener('submit', (event) => {
    event.preventDefault();
    fetch(form.action, {
      method: 'POST',
      body: new FormData(form),
      headers: { Accept: 'application/json' },
      credentials: 'same-origin',
      redirect: 'manual',
    })
      .then((response) => (response.ok ? response.json() : Promise.reject(new Error(String(response.status)))))
      .then(plan)
      .catch(check);
  });

  plan({ idleSeconds: Number(box.dataset.idleSeconds), absoluteSeconds: Number(box.dataset.absoluteSeconds) });
})();
