/*
 * Simulated portal, markup kit: the pieces every screen is built of, written to have the real
 * portal's structure (see portal/README.md, "Estrutura das telas"): field titles in <p> (no
 * <label>), MUI-like radio groups whose options are nested labels holding the input and a <p>,
 * checkbox groups without `name`, the footer with Voltar (type=button) and Continuar
 * (type=submit, holding a <p>), the page loader that some screens keep hidden in the DOM, the
 * log-in dialog, masks, validation and the MUI-like select popover. No dependencies.
 */
var SP = (function () {
  'use strict';

  var kit = {};

  /* ---------------------------------------------------------------- helpers */

  kit.esc = function (s) {
    return String(s).replace(/[&<>"']/g, function (c) {
      return { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }[c];
    });
  };
  kit.$ = function (sel, el) { return (el || document).querySelector(sel); };
  kit.$$ = function (sel, el) { return Array.prototype.slice.call((el || document).querySelectorAll(sel)); };
  kit.wait = function (ms) { return new Promise(function (r) { setTimeout(r, ms); }); };
  kit.digits = function (s) { return String(s || '').replace(/\D/g, ''); };

  /* ------------------------------------------------------------------ masks */

  kit.maskPlate = function (v) {
    v = v.toUpperCase().replace(/[^A-Z0-9]/g, '').slice(0, 7);
    return v.length > 3 ? v.slice(0, 3) + '-' + v.slice(3) : v;
  };
  kit.maskCpf = function (v) {
    v = kit.digits(v).slice(0, 11);
    return v.replace(/^(\d{3})(\d)/, '$1.$2').replace(/^(\d{3})\.(\d{3})(\d)/, '$1.$2.$3').replace(/\.(\d{3})(\d{1,2})$/, '.$1-$2');
  };
  kit.maskDate = function (v) {
    v = kit.digits(v).slice(0, 8);
    return v.replace(/^(\d{2})(\d)/, '$1/$2').replace(/^(\d{2})\/(\d{2})(\d)/, '$1/$2/$3');
  };
  kit.maskPhone = function (v) {
    v = kit.digits(v).slice(0, 11);
    if (v.length <= 2) return v.length ? '(' + v : '';
    if (v.length <= 6) return '(' + v.slice(0, 2) + ') ' + v.slice(2);
    if (v.length <= 10) return '(' + v.slice(0, 2) + ') ' + v.slice(2, 6) + '-' + v.slice(6);
    return '(' + v.slice(0, 2) + ') ' + v.slice(2, 7) + '-' + v.slice(7);
  };
  kit.bindMask = function (id, fn) {
    var el = document.getElementById(id);
    if (el) el.addEventListener('input', function () { el.value = fn(el.value); });
  };

  /* ------------------------------------------------------------- validation */

  kit.validCpf = function (v) {
    var d = kit.digits(v);
    if (d.length !== 11 || /^(\d)\1{10}$/.test(d)) return false;
    for (var t = 9; t < 11; t++) {
      var sum = 0;
      for (var i = 0; i < t; i++) sum += Number(d[i]) * (t + 1 - i);
      if (((sum * 10) % 11) % 10 !== Number(d[t])) return false;
    }
    return true;
  };
  kit.dateError = function (v) {
    var m = /^(\d{2})\/(\d{2})\/(\d{4})$/.exec(v || '');
    if (!m) return 'Data inválida. Use o formato DD/MM/AAAA.';
    var d = new Date(Number(m[3]), Number(m[2]) - 1, Number(m[1]));
    if (d.getFullYear() !== Number(m[3]) || d.getMonth() !== Number(m[2]) - 1 || d.getDate() !== Number(m[1])) return 'Data inválida.';
    var now = new Date();
    var before = now.getMonth() < d.getMonth() || (now.getMonth() === d.getMonth() && now.getDate() < d.getDate());
    var age = now.getFullYear() - d.getFullYear() - (before ? 1 : 0);
    if (d > now) return 'Data inválida: a data não pode estar no futuro.';
    if (age < 18) return 'É preciso ter pelo menos 18 anos.';
    if (age > 100) return 'Data inválida.';
    return null;
  };

  /* ------------------------------------------------------------ markup kit */

  // The <p> inside Continuar; Voltar's <p> has the same classes but leading-6.
  kit.P_CONTINUAR = 'font-semibold font-workSans cursor-pointer text-sm leading-6';
  kit.P_VOLTAR = 'font-semibold font-workSans text-sm cursor-pointer';

  /* A screen's heading: the question in a <p> (the real screens have no h1), and its subtitle. */
  kit.heading = function (title, subtitleHtml) {
    return '<div class="cabecalho-tela"><p class="tela-titulo font-workSans">' + title + '</p>' +
      (subtitleHtml ? '<p class="tela-subtitulo font-workSans"><span>' + subtitleHtml + '</span></p>' : '') + '</div>';
  };

  /* The fixed footer: Voltar (or Cancelar) and, unless left out, Continuar; `extra` goes first. */
  kit.footer = function (continuarId, backLabel, extra) {
    return '<div class="rodape-botoes"><div class="rodape-linha">' + (extra || '') +
      '<button type="button" class="botao botao-contorno botao-voltar"><p class="' + kit.P_VOLTAR + '">' + (backLabel || 'Voltar') +
      '</p></button>' + (continuarId ? '<button type="submit" class="botao botao-primario" id="' + continuarId + '"><p class="' +
      kit.P_CONTINUAR + '">Continuar</p></button>' : '') + '</div></div>';
  };

  /* A text field: its title in a <p>, the input in MUI's control, the helper text for errors. */
  kit.textField = function (id, name, title, opts) {
    opts = opts || {};
    return '<div class="campo"><p class="campo-titulo font-workSans" id="' + id + '-label">' + title + '</p>' +
      '<div class="MuiFormControl-root MuiTextField-root"><div class="MuiInputBase-root">' +
      '<input class="MuiInputBase-input" aria-invalid="false" id="' + id + '"' + (name ? ' name="' + name + '"' : '') +
      ' type="' + (opts.type || 'text') + '"' +
      (opts.placeholder ? ' placeholder="' + opts.placeholder + '"' : '') +
      (opts.inputmode ? ' inputmode="' + opts.inputmode + '"' : '') +
      ' maxlength="' + (opts.maxlength || 100) + '" autocomplete="off" value="">' + (opts.after || '') + '</div>' +
      '<p class="MuiFormHelperText-root" id="' + id + '-helper-text" hidden></p></div></div>';
  };

  /*
   * One option of a radio or checkbox group: an outer label (the bordered card) holding MUI's
   * FormControlLabel, itself a label holding the input and the text. `plain` puts the text
   * straight in the label's span (the "continuar depois" reasons), else in a <p>.
   */
  kit.option = function (type, name, value, text, checked, plain) {
    var box = type === 'radio' ? 'MuiRadio-root' : 'MuiCheckbox-root';
    var icon = type === 'radio' ? 'icone-radio' : 'icone-caixa';
    return '<label class="cursor-pointer"><div class="' + (plain ? 'opcao-simples' : 'border opcao') + '">' +
      '<label class="MuiFormControlLabel-root"><span class="MuiButtonBase-root ' + box + ' PrivateSwitchBase-root' +
      (checked ? ' Mui-checked' : '') + '"><input class="PrivateSwitchBase-input" type="' + type + '"' +
      (name ? ' name="' + name + '"' : '') + ' value="' + kit.esc(value) + '"' + (checked ? ' checked' : '') +
      '><span class="' + icon + '"></span></span><span class="MuiTypography-root MuiFormControlLabel-label">' +
      (plain ? kit.esc(text) : '<div class="texto-opcao"><p class="font-workSans">' + kit.esc(text) + '</p></div>') +
      '</span></label></div></label>';
  };

  /* The question above a group, in a label that carries the group's id (a bare #id matches two). */
  function groupLabel(id, text) {
    return '<label class="MuiFormLabel-root" id="' + id + '"><div class="cabecalho-tela"><p class="tela-titulo font-workSans">' +
      text + '</p></div></label>';
  }

  /*
   * A MUI RadioGroup: div[role=radiogroup] with the group's id, radios named after it, the
   * default pre-checked. `opts.label`: the question label sharing the id (absent when the
   * screen's heading asks the question); `opts.plain`: texts straight in the labels.
   */
  kit.radioGroup = function (id, options, checkedValue, opts) {
    opts = opts || {};
    var items = options.map(function (o) { return kit.option('radio', id, o[0], o[1], o[0] === checkedValue, opts.plain); }).join('');
    return '<div class="MuiFormControl-root grupo">' + (opts.label ? groupLabel(id, opts.label) : '') +
      '<div role="radiogroup" id="' + id + '" class="MuiFormGroup-root MuiRadioGroup-root">' +
      (opts.plain ? '<div class="opcoes">' + items + '</div>' : items) + '</div></div>';
  };

  /* A checkbox group: its label and a plain div share the id; the boxes carry a value, no name. */
  kit.checkboxGroup = function (id, label, options) {
    return '<div class="MuiFormControl-root grupo">' + groupLabel(id, label) +
      '<div id="' + id + '" class="MuiFormGroup-root">' +
      options.map(function (o) { return kit.option('checkbox', null, o[0], o[1], false); }).join('') + '</div></div>';
  };

  /* The value of the checked radio of group `name` inside `scope`. */
  kit.radioValue = function (name, scope) {
    var el = kit.$('input[type=radio][name="' + name + '"]:checked', scope);
    return el ? el.value : null;
  };

  /* ------------------------------------------------------- field messages */

  kit.setError = function (id, msg) {
    var input = document.getElementById(id);
    var control = input && input.closest('.MuiFormControl-root');
    if (!control) return;
    var helper = control.querySelector('.MuiFormHelperText-root');
    var base = control.querySelector('.MuiInputBase-root');
    [base, helper].forEach(function (e) { if (e) e.classList.toggle('Mui-error', !!msg); });
    var title = document.getElementById(id + '-label');
    if (title) title.classList.toggle('Mui-error', !!msg);
    input.setAttribute('aria-invalid', msg ? 'true' : 'false');
    if (helper) { helper.textContent = msg || ''; helper.hidden = !msg; }
  };

  /* A banner at the top of the screen: an error (failed lookup) or an information. */
  kit.screenAlert = function (root, msg, info) {
    var box = kit.$('.alerta-tela', root);
    if (!box) return;
    box.innerHTML = msg ? '<div class="MuiPaper-root MuiAlert-root ' + (info ? 'MuiAlert-standardInfo' : 'MuiAlert-standardError') +
      '" role="alert"><div class="MuiAlert-message">' + kit.esc(msg) + '</div></div>' : '';
  };

  /* A passing message, in the DOM only while it shows. */
  kit.snackbar = function (msg) {
    kit.dropSnackbar();
    var el = document.createElement('div');
    el.className = 'snackbar';
    el.setAttribute('role', 'status');
    el.textContent = msg;
    document.body.appendChild(el);
    kit.snackbar.t = setTimeout(kit.dropSnackbar, 4000);
  };
  kit.dropSnackbar = function () {
    clearTimeout(kit.snackbar.t);
    kit.$$('body > .snackbar').forEach(function (e) { e.remove(); });
  };

  /* ---------------------------------------------------------- page loader */

  /*
   * The page's transition loader (MUI Backdrop + CircularProgress). Screens that keep it have it
   * hidden in the DOM (opacity 0, visibility hidden); the others hold it only while it shows.
   */
  var loader = null;
  var loaderKept = true;
  function loaderElement() {
    if (!loader) {
      loader = document.createElement('div');
      loader.className = 'MuiBackdrop-root carregando';
      loader.innerHTML = '<span class="MuiCircularProgress-root MuiCircularProgress-indeterminate" role="progressbar">' +
        '<svg class="MuiCircularProgress-svg" viewBox="22 22 44 44"><circle class="MuiCircularProgress-circle" cx="44" cy="44" r="20.2" ' +
        'fill="none" stroke-width="3.6"></circle></svg></span>';
    }
    return loader;
  }
  function showLoader(on) {
    var el = loaderElement();
    el.setAttribute('aria-hidden', on ? 'false' : 'true');
    el.style.opacity = on ? '1' : '0';
    el.style.visibility = on ? 'visible' : 'hidden';
    if (on || loaderKept) { if (!el.isConnected) document.body.insertBefore(el, document.body.firstChild); }
    else el.remove();
  }
  kit.loading = showLoader;
  /* Whether the screen now shown keeps the hidden loader in its DOM. */
  kit.keepLoader = function (keep) {
    loaderKept = keep;
    showLoader(false);
  };

  /* --------------------------------------------------------- log-in dialog */

  /* A line-drawn icon (decorative: no text, hidden from assistive technology). */
  kit.lineIcon = function (size, shapes) {
    return '<svg width="' + size + '" height="' + size + '" viewBox="0 0 24 24" fill="none" stroke="currentColor" stroke-width="2" ' +
      'aria-hidden="true">' + shapes + '</svg>';
  };
  kit.ARROW_RIGHT = '<path d="M5 12h14M13 6l6 6-6 6"/>';
  var EYE = kit.lineIcon(22, '<path d="M2 12s3.5-7 10-7 10 7 10 7-3.5 7-10 7S2 12 2 12z"/><circle cx="12" cy="12" r="3"/>');
  var ARROW = kit.lineIcon(20, kit.ARROW_RIGHT);
  var GOOGLE = '<svg width="18" height="18" viewBox="0 0 24 24" aria-hidden="true"><circle cx="12" cy="12" r="10" fill="none" ' +
    'stroke="#4285f4" stroke-width="4"/></svg>';

  /*
   * The broker's log-in dialog, mounted hidden (opacity 0, visibility hidden, aria-hidden) on the
   * screens that keep it: screen 1 (mode "conta", closed by its × image) and the result page
   * (mode "resultado": its own notice and "Agora não"). No <label>: the field titles are <p>.
   */
  kit.loginDialog = function (mode) {
    var result = mode === 'resultado';
    return '<div class="MuiBackdrop-root fundo-modal dialogo-login" aria-hidden="true" style="opacity:0;visibility:hidden">' +
      '<div class="papel-modal">' +
      (result ? '' : '<img alt="close" src="/fechar.svg" width="30" height="30" class="fechar-modal cursor-pointer">') +
      '<div class="corpo-modal">' +
      kit.heading('Acessar conta', result ? 'Acesse sua conta para visualizar o resultado final' : 'Entre com seu e-mail ou com o Google') +
      '<div class="formulario-login"><form class="form-login" novalidate>' +
      kit.textField('emailTelaLogin', null, 'E-mail', { type: 'email', placeholder: 'seu@email.com' }) +
      kit.textField('senhaTelaLogin', null, 'Senha', {
        type: 'password',
        placeholder: '••••••••',
        after: '<button type="button" class="alternar-senha" aria-label="Mostrar ou ocultar a senha">' + EYE + '</button>'
      }) +
      '<button type="submit" class="botao botao-primario w-full" id="gtm-telaLoginBotaoAcessar">Acessar' + ARROW + '</button>' +
      '</form><div class="linha-centro"><a href="#" class="link">Esqueci minha senha</a></div>' +
      '<div class="separador"><span>ou continue com</span></div>' +
      '<div class="linha-centro"><button class="botao botao-contorno">' + GOOGLE + '<span>Google</span></button></div>' +
      (result ? '<div class="linha-centro"><button type="button" class="botao botao-texto" id="gtm-telaResultadoAgoraNaoFechar"><p class="' +
        kit.P_VOLTAR + '">Agora não</p></button></div>' : '') +
      '</div><div class="linha-centro text-sm"><span>Ainda não tem conta?</span><a href="#" class="link">Registre-se</a></div>' +
      '</div></div></div>';
  };

  /* Shows or hides a dialog mounted hidden. */
  kit.showDialog = function (el, on) {
    el.style.opacity = on ? '1' : '0';
    el.style.visibility = on ? 'visible' : 'hidden';
    el.setAttribute('aria-hidden', on ? 'false' : 'true');
  };

  /* --------------------------------------------------- MUI select popover */

  var selectOptions = {};
  var selectIds = 0;

  /* A MUI Select: a combobox div, the hidden native input carrying the name, a popover list. */
  kit.selectField = function (id, name, title, options) {
    selectOptions[id] = options;
    return '<div class="campo"><p class="campo-titulo font-workSans" id="' + id + '-label">' + title + '</p>' +
      '<div class="MuiFormControl-root MuiTextField-root"><div class="MuiInputBase-root MuiSelect-root">' +
      '<div tabindex="0" role="combobox" aria-expanded="false" aria-haspopup="listbox" aria-labelledby="' + id + '-label ' + id +
      '" id="' + id + '" class="MuiSelect-select MuiInputBase-input">&#8203;</div>' +
      '<input aria-invalid="false" name="' + name + '" aria-hidden="true" tabindex="-1" class="MuiSelect-nativeInput" value="">' +
      '<svg class="MuiSelect-icon" width="20" height="20" viewBox="0 0 24 24"><path d="M7 10l5 5 5-5z"></path></svg></div>' +
      '<p class="MuiFormHelperText-root" id="' + id + '-helper-text" hidden></p></div></div>';
  };
  kit.selectValue = function (id) {
    var el = document.getElementById(id);
    return el ? el.parentNode.querySelector('.MuiSelect-nativeInput').value : '';
  };
  kit.setSelect = function (id, value) {
    var trigger = document.getElementById(id);
    var o = (selectOptions[id] || []).filter(function (x) { return x[0] === value; })[0];
    if (!trigger || !o) return;
    trigger.textContent = o[1];
    trigger.parentNode.querySelector('.MuiSelect-nativeInput').value = value;
  };
  function openSelect(trigger) {
    if (trigger.getAttribute('aria-expanded') === 'true') return;
    var options = selectOptions[trigger.id];
    var current = trigger.parentNode.querySelector('.MuiSelect-nativeInput').value;
    var listId = ':r' + (++selectIds).toString(36) + ':';
    var rect = trigger.getBoundingClientRect();
    var pop = document.createElement('div');
    pop.setAttribute('role', 'presentation');
    pop.className = 'MuiPopover-root MuiMenu-root MuiModal-root';
    pop.id = 'menu-' + trigger.id;
    pop.innerHTML = '<div aria-hidden="true" class="MuiBackdrop-root MuiBackdrop-invisible"></div>' +
      '<div class="MuiPaper-root MuiMenu-paper MuiPopover-paper" tabindex="-1" style="top:' + (rect.bottom + 4) + 'px;left:' +
      rect.left + 'px;min-width:' + rect.width + 'px">' +
      '<ul class="MuiList-root MuiMenu-list" role="listbox" tabindex="-1" aria-labelledby="' + trigger.id + '-label" id="' + listId + '">' +
      options.map(function (o) {
        return '<li class="MuiButtonBase-root MuiMenuItem-root" tabindex="-1" role="option" aria-selected="' + (o[0] === current) +
          '" data-value="' + kit.esc(o[0]) + '">' + kit.esc(o[1]) + '</li>';
      }).join('') + '</ul></div>';
    document.body.appendChild(pop);
    // As MUI's menus: below the select when it fits, else moved up to stay inside the window.
    var paper = pop.querySelector('.MuiMenu-paper');
    var top = Math.min(rect.bottom + 4, window.innerHeight - paper.offsetHeight - 16);
    paper.style.top = Math.max(16, top) + 'px';
    trigger.setAttribute('aria-expanded', 'true');
    trigger.setAttribute('aria-controls', listId);
    function close() {
      pop.remove();
      trigger.setAttribute('aria-expanded', 'false');
      trigger.removeAttribute('aria-controls');
      trigger.focus();
    }
    pop.querySelector('.MuiBackdrop-root').addEventListener('click', close);
    pop.addEventListener('click', function (e) {
      var li = e.target.closest('li[role=option]');
      if (!li) return;
      kit.setSelect(trigger.id, li.getAttribute('data-value'));
      trigger.parentNode.querySelector('.MuiSelect-nativeInput').dispatchEvent(new Event('change', { bubbles: true }));
      kit.setError(trigger.id, null);
      close();
    });
    pop.addEventListener('keydown', function (e) { if (e.key === 'Escape') close(); });
  }
  document.addEventListener('click', function (e) {
    var trigger = e.target.closest && e.target.closest('[role=combobox].MuiSelect-select');
    if (trigger) openSelect(trigger);
  });
  document.addEventListener('keydown', function (e) {
    var t = e.target;
    if (t.matches && t.matches('[role=combobox].MuiSelect-select') && (e.key === 'Enter' || e.key === ' ' || e.key === 'ArrowDown')) {
      e.preventDefault();
      openSelect(t);
    }
  });

  /* ------------------------------------------------- page-wide behaviour */

  // MUI's checked classes follow the inputs (a radio's whole group, a box by itself).
  document.addEventListener('change', function (e) {
    var t = e.target;
    if (!t.matches || !t.matches('input[type=radio], input[type=checkbox]')) return;
    var inputs = t.type === 'radio' && t.name ? kit.$$('input[type=radio][name="' + t.name + '"]') : [t];
    inputs.forEach(function (i) {
      var span = i.closest('.MuiButtonBase-root, .MuiSwitch-switchBase');
      if (span) span.classList.toggle('Mui-checked', i.checked);
      var sw = i.closest('.MuiSwitch-root');
      if (sw) sw.classList.toggle('Mui-checked', i.checked);
      var card = i.closest('.opcao');
      if (card) card.classList.toggle('marcada', i.checked);
    });
  });

  // Google Tag Manager numbers form fields as they are first touched (data-gtm-form-interact-field-id).
  var gtm = 0;
  function gtmMark(e) {
    var t = e.target;
    if (t && t.matches && t.matches('input, textarea, select') && !t.hasAttribute('data-gtm-form-interact-field-id')) {
      t.setAttribute('data-gtm-form-interact-field-id', String(gtm++));
    }
  }
  document.addEventListener('focusin', gtmMark);
  document.addEventListener('change', gtmMark);

  return kit;
})();
