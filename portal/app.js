/*
 * Simulated insurer portal: the single-page quote flow (screens 1–15, the Zero KM and previous
 * broker screens, the countdown, the result with the log-in overlay, the CPF-mismatch modal and
 * the manual-quote page). Markup mirrors the real portal's ids, names, values and MUI/Tailwind
 * structure; data comes from the server's JSON lookups. No build step, no dependencies.
 */
(function () {
  'use strict';

  var CFG = JSON.parse(document.getElementById('sim-config').textContent);
  var root = document.getElementById('conteudo');
  var backdrop = document.getElementById('carregando');

  /* ------------------------------------------------------------------ state */

  var S = {
    tipo: 'carro',
    vehicle: null,
    estimate: null,
    endereco: null,
    token: null,
    calcId: null,
    history: [],
    current: null,
    saved: {},
    seq: 0,
    gtm: 0,
    unknownSeen: {},
    afterUnknown: null
  };

  /* ---------------------------------------------------------------- helpers */

  function esc(s) {
    return String(s).replace(/[&<>"']/g, function (c) {
      return { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }[c];
    });
  }
  function $(sel, el) { return (el || document).querySelector(sel); }
  function $$(sel, el) { return Array.prototype.slice.call((el || document).querySelectorAll(sel)); }
  function wait(ms) { return new Promise(function (r) { setTimeout(r, ms); }); }
  function digits(s) { return String(s || '').replace(/\D/g, ''); }
  function carro() { return S.tipo === 'moto' ? 'moto' : 'carro'; }
  function oCarro() { return S.tipo === 'moto' ? 'a moto' : 'o carro'; }

  function api(method, url, body, anonymous) {
    var opts = { method: method, headers: {} };
    if (body !== undefined) {
      opts.headers['Content-Type'] = 'application/json';
      opts.body = JSON.stringify(body);
    }
    if (S.token && !anonymous) opts.headers['Authorization'] = 'Bearer ' + S.token;
    return fetch(url, opts).then(function (r) {
      return r.json().catch(function () { return {}; }).then(function (d) { return { status: r.status, data: d }; });
    }, function () { return { status: 0, data: {} }; });
  }

  function loading(on) { backdrop.style.display = on ? 'flex' : 'none'; }

  function snackbar(msg) {
    var el = document.getElementById('snackbar');
    el.textContent = msg;
    el.style.display = 'block';
    clearTimeout(snackbar.t);
    snackbar.t = setTimeout(function () { el.style.display = 'none'; }, 4000);
  }

  /* ----------------------------------------------------------- markup kit */

  var P_CLASS = 'font-semibold font-workSans cursor-pointer text-sm leading-6';

  /* The slight structural change of --mudanca-tela: one more button, which the quote never needs. */
  function helpButton(screenKey, id) {
    if (CFG.mudanca_tela !== screenKey) return '';
    return '<button type="button" class="botao botao-texto MuiButton-root" id="' + id + '" data-ajuda="1"><p class="' + P_CLASS +
      '">Precisa de ajuda?</p></button>';
  }

  function buttons(screen, continuarId, voltarLabel) {
    var fault = CFG.falhas[screen.fault];
    var cont = fault && fault.tipo === 'sem-continuar' ? '' :
      '<button type="submit" class="botao botao-primario MuiButton-root" id="' + continuarId + '"><p class="' + P_CLASS + '">Continuar</p></button>';
    return '<div class="botoes">' + helpButton(screen.fault, continuarId.replace(/Continuar.*$/, '') + 'Ajuda') +
      '<button type="button" class="botao botao-contorno MuiButton-root" data-voltar="1"><p class="' +
      P_CLASS + '">' + (voltarLabel || 'Voltar') + '</p></button>' + cont + '</div>';
  }

  function form(screen, title, subtitle, body, continuarId, voltarLabel, extraClass) {
    return '<form class="tela ' + (extraClass || '') + '" novalidate data-tela="' + screen.fault + '">' +
      '<h1 class="tela-titulo font-workSans">' + title + '</h1>' +
      (subtitle ? '<p class="tela-subtitulo font-workSans">' + subtitle + '</p>' : '') +
      '<div class="alerta-tela"></div>' + body + buttons(screen, continuarId, voltarLabel) + '</form>';
  }

  function textField(id, name, label, opts) {
    opts = opts || {};
    return '<div class="MuiFormControl-root MuiTextField-root w-full" data-campo="' + id + '">' +
      '<label class="MuiFormLabel-root MuiInputLabel-root" for="' + id + '" id="' + id + '-label">' + label +
      '<span aria-hidden="true"> *</span></label>' +
      '<div class="MuiInputBase-root MuiOutlinedInput-root"><input class="MuiInputBase-input MuiOutlinedInput-input" id="' + id +
      '" name="' + name + '" type="' + (opts.type || 'text') + '"' +
      (opts.placeholder ? ' placeholder="' + opts.placeholder + '"' : '') +
      (opts.inputmode ? ' inputmode="' + opts.inputmode + '"' : '') +
      (opts.maxlength ? ' maxlength="' + opts.maxlength + '"' : '') +
      ' autocomplete="off" aria-invalid="false" aria-describedby="' + id + '-helper-text"></div>' +
      '<p class="MuiFormHelperText-root" id="' + id + '-helper-text" style="display:none"></p></div>';
  }

  function choice(type, name, o, checked) {
    var box = type === 'radio' ? 'MuiRadio-root' : 'MuiCheckbox-root';
    var icon = type === 'radio' ? 'icone-radio' : 'icone-caixa';
    return '<label class="MuiFormControlLabel-root"><span class="MuiButtonBase-root ' + box + ' PrivateSwitchBase-root' +
      (checked ? ' Mui-checked' : '') + '"><input class="PrivateSwitchBase-input mui-1m9pwf3" type="' + type + '" name="' + name +
      '" value="' + esc(o[0]) + '"' + (checked ? ' checked' : '') + '><span class="' + icon + '"></span></span>' +
      '<span class="MuiTypography-root MuiFormControlLabel-label">' + esc(o[1]) + '</span></label>';
  }

  /* A MUI RadioGroup whose question label carries the same id as the group (as on the real portal). */
  function radioGroup(id, label, options, checkedValue, row) {
    return '<div class="MuiFormControl-root" data-grupo="' + id + '"><label class="MuiFormLabel-root" id="' + id + '">' + label + '</label>' +
      '<div role="radiogroup" id="' + id + '" class="MuiFormGroup-root' + (row ? ' MuiFormGroup-row' : '') + '">' +
      options.map(function (o) { return choice('radio', id, o, o[0] === checkedValue); }).join('') + '</div></div>';
  }

  function checkboxGroup(id, label, options) {
    return '<div class="MuiFormControl-root" data-grupo="' + id + '"><label class="MuiFormLabel-root" id="' + id + '">' + label + '</label>' +
      '<div role="radiogroup" id="' + id + '" class="MuiFormGroup-root MuiFormGroup-row">' +
      options.map(function (o) { return choice('checkbox', id, o, false); }).join('') + '</div></div>';
  }

  function selectField(id, name, label, options) {
    return '<div class="MuiFormControl-root MuiTextField-root w-full" data-campo="' + id + '">' +
      '<label class="MuiFormLabel-root MuiInputLabel-root" id="' + id + '-label">' + label + '<span aria-hidden="true"> *</span></label>' +
      '<div class="MuiInputBase-root MuiOutlinedInput-root MuiSelect-root">' +
      '<div tabindex="0" role="combobox" aria-expanded="false" aria-haspopup="listbox" aria-labelledby="' + id + '-label ' + id +
      '" id="' + id + '" class="MuiSelect-select MuiSelect-outlined MuiInputBase-input" data-opcoes="' +
      esc(JSON.stringify(options)) + '">&#8203;</div>' +
      '<input aria-invalid="false" name="' + name + '" aria-hidden="true" tabindex="-1" class="MuiSelect-nativeInput" value="">' +
      '<svg class="MuiSelect-icon" width="20" height="20" viewBox="0 0 24 24"><path d="M7 10l5 5 5-5z"></path></svg></div>' +
      '<p class="MuiFormHelperText-root" id="' + id + '-helper-text" style="display:none"></p></div>';
  }

  var SEXO = [['masculino', 'Masculino'], ['feminino', 'Feminino']];
  var ESTADO_CIVIL = [['casado', 'Casado ou União Estável'], ['solteiro', 'Solteiro'], ['divorciado', 'Divorciado'],
    ['viuvo', 'Viúvo'], ['separado', 'Separado']];

  function setError(id, msg) {
    var input = document.getElementById(id);
    var wrap = input && input.closest('.MuiFormControl-root');
    if (!wrap) return;
    var helper = wrap.querySelector('.MuiFormHelperText-root');
    var base = wrap.querySelector('.MuiInputBase-root');
    var label = wrap.querySelector('.MuiFormLabel-root');
    [base, label, helper].forEach(function (e) { if (e) e.classList.toggle('Mui-error', !!msg); });
    input.setAttribute('aria-invalid', msg ? 'true' : 'false');
    if (helper) { helper.textContent = msg || ''; helper.style.display = msg ? 'block' : 'none'; }
  }

  function screenAlert(msg, info) {
    var box = $('.alerta-tela', root);
    if (!box) return;
    box.innerHTML = msg ? '<div class="MuiPaper-root MuiAlert-root ' + (info ? 'MuiAlert-standardInfo' : 'MuiAlert-standardError') +
      '" role="alert"><div class="MuiAlert-message">' + esc(msg) + '</div></div>' : '';
  }

  function radioValue(name) {
    var el = $('input[name="' + name + '"]:checked', root);
    return el ? el.value : null;
  }

  /* Shows the box while showWhen(the group's value) holds, on every change of the group (restore() included). */
  function toggleOnRadio(groupName, boxId, showWhen) {
    var box = document.getElementById(boxId);
    $('form.tela', root).addEventListener('change', function (e) {
      if (e.target.name === groupName) box.style.display = showWhen(radioValue(groupName)) ? 'block' : 'none';
    });
  }

  /* ------------------------------------------------------------ masks */

  function maskPlate(v) {
    v = v.toUpperCase().replace(/[^A-Z0-9]/g, '').slice(0, 7);
    return v.length > 3 ? v.slice(0, 3) + '-' + v.slice(3) : v;
  }
  function maskCpf(v) {
    v = digits(v).slice(0, 11);
    return v.replace(/^(\d{3})(\d)/, '$1.$2').replace(/^(\d{3})\.(\d{3})(\d)/, '$1.$2.$3').replace(/\.(\d{3})(\d{1,2})$/, '.$1-$2');
  }
  function maskDate(v) {
    v = digits(v).slice(0, 8);
    return v.replace(/^(\d{2})(\d)/, '$1/$2').replace(/^(\d{2})\/(\d{2})(\d)/, '$1/$2/$3');
  }
  function maskPhone(v) {
    v = digits(v).slice(0, 11);
    if (v.length <= 2) return v.length ? '(' + v : '';
    if (v.length <= 6) return '(' + v.slice(0, 2) + ') ' + v.slice(2);
    if (v.length <= 10) return '(' + v.slice(0, 2) + ') ' + v.slice(2, 6) + '-' + v.slice(6);
    return '(' + v.slice(0, 2) + ') ' + v.slice(2, 7) + '-' + v.slice(7);
  }
  function bindMask(id, fn) {
    var el = document.getElementById(id);
    if (el) el.addEventListener('input', function () { el.value = fn(el.value); });
  }

  /* ---------------------------------------------------------- validation */

  function validCpf(v) {
    var d = digits(v);
    if (d.length !== 11 || /^(\d)\1{10}$/.test(d)) return false;
    for (var t = 9; t < 11; t++) {
      var sum = 0;
      for (var i = 0; i < t; i++) sum += Number(d[i]) * (t + 1 - i);
      if (((sum * 10) % 11) % 10 !== Number(d[t])) return false;
    }
    return true;
  }
  function dateError(v) {
    var m = /^(\d{2})\/(\d{2})\/(\d{4})$/.exec(v || '');
    if (!m) return 'Data inválida. Use o formato DD/MM/AAAA.';
    var d = new Date(Number(m[3]), Number(m[2]) - 1, Number(m[1]));
    if (d.getFullYear() !== Number(m[3]) || d.getMonth() !== Number(m[2]) - 1 || d.getDate() !== Number(m[1])) return 'Data inválida.';
    var now = new Date();
    var age = now.getFullYear() - d.getFullYear() - ((now.getMonth() < d.getMonth() || (now.getMonth() === d.getMonth() && now.getDate() < d.getDate())) ? 1 : 0);
    if (d > now) return 'Data inválida: a data não pode estar no futuro.';
    if (age < 18) return 'É preciso ter pelo menos 18 anos.';
    if (age > 100) return 'Data inválida.';
    return null;
  }
  function personErrors(prefix) {
    var ok = true;
    function check(id, msg) { setError(id, msg); if (msg) ok = false; }
    var nome = document.getElementById('nome' + prefix).value.trim();
    check('nome' + prefix, nome.split(/\s+/).length < 2 || nome.length < 5 ? 'Informe o nome completo.' : null);
    check('cpf' + prefix, validCpf(document.getElementById('cpf' + prefix).value) ? null : 'CPF inválido.');
    check('dataNascimento' + prefix, dateError(document.getElementById('dataNascimento' + prefix).value));
    check('sexo' + prefix, selectValue('sexo' + prefix) ? null : 'Selecione o sexo.');
    check('estadoCivil' + prefix, selectValue('estadoCivil' + prefix) ? null : 'Selecione o estado civil.');
    return ok;
  }

  /* --------------------------------------------------- MUI select popover */

  var selectIds = 0;
  function selectValue(id) {
    var el = document.getElementById(id);
    return el ? el.parentNode.querySelector('.MuiSelect-nativeInput').value : '';
  }
  function openSelect(trigger) {
    if (trigger.getAttribute('aria-expanded') === 'true') return;
    var options = JSON.parse(trigger.getAttribute('data-opcoes'));
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
          '" data-value="' + esc(o[0]) + '">' + esc(o[1]) + '</li>';
      }).join('') + '</ul></div>';
    document.body.appendChild(pop);
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
      var o = options.filter(function (x) { return x[0] === li.getAttribute('data-value'); })[0];
      trigger.textContent = o[1];
      var hidden = trigger.parentNode.querySelector('.MuiSelect-nativeInput');
      hidden.value = o[0];
      hidden.dispatchEvent(new Event('change', { bubbles: true }));
      setError(trigger.id, null);
      close();
    });
    pop.addEventListener('keydown', function (e) { if (e.key === 'Escape') close(); });
  }
  function setSelect(id, value) {
    var trigger = document.getElementById(id);
    if (!trigger || !value) return;
    var o = JSON.parse(trigger.getAttribute('data-opcoes')).filter(function (x) { return x[0] === value; })[0];
    if (!o) return;
    trigger.textContent = o[1];
    trigger.parentNode.querySelector('.MuiSelect-nativeInput').value = value;
  }

  /* ------------------------------------------ generic page-wide behaviour */

  // MUI checked classes follow the inputs.
  document.addEventListener('change', function (e) {
    var t = e.target;
    if (!t.matches || !t.matches('input[type=radio], input[type=checkbox]')) return;
    $$('input[name="' + t.name + '"]').forEach(function (i) {
      var span = i.closest('.MuiButtonBase-root, .MuiSwitch-switchBase');
      if (span) span.classList.toggle('Mui-checked', i.checked);
      var sw = i.closest('.MuiSwitch-root');
      if (sw) sw.classList.toggle('Mui-checked', i.checked);
      var card = i.closest('.border');
      if (card && card.closest('.opcoes-cartao')) card.classList.toggle('Mui-checked', i.checked);
    });
  });

  // Google Tag Manager numbers form fields as they are first touched (data-gtm-form-interact-field-id).
  function gtmMark(e) {
    var t = e.target;
    if (t && t.matches && t.matches('input, textarea, select') && !t.hasAttribute('data-gtm-form-interact-field-id')) {
      t.setAttribute('data-gtm-form-interact-field-id', String(S.gtm++));
    }
  }
  document.addEventListener('focusin', gtmMark);
  document.addEventListener('change', gtmMark);

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

  /* ------------------------------------------------------------- routing */

  var STEP_OF = { placa: 0, confirmacao: 0, renovacao: 0, estimativa: 0, zerokm: 0, itens: 0, pernoite: 1, uso: 1, segurado: 1,
    condutor: 2, atividade: 2, garagem: 2, residentes: 2, corretor: 2, calculo: 3, resultado: 3, manual: 3 };

  function saveCurrent() {
    if (!S.current) return;
    var vals = {};
    $$('input', root).forEach(function (i) {
      if (i.type === 'radio' || i.type === 'checkbox') vals[i.name + '=' + i.value] = i.checked;
      else if (i.id) vals['#' + i.id] = i.value;
      else if (i.name) vals['@' + i.name] = i.value;
    });
    S.saved[S.current] = vals;
  }

  function restore(name) {
    var vals = S.saved[name];
    if (!vals) return;
    $$('input', root).forEach(function (i) {
      if (i.type === 'radio' || i.type === 'checkbox') {
        var k = i.name + '=' + i.value;
        if (k in vals) i.checked = vals[k];
      } else if (i.id && ('#' + i.id) in vals) i.value = vals['#' + i.id];
      else if (i.name && ('@' + i.name) in vals) i.value = vals['@' + i.name];
    });
    $$('.MuiSelect-select', root).forEach(function (t) {
      setSelect(t.id, t.parentNode.querySelector('.MuiSelect-nativeInput').value);
    });
    $$('input[type=radio], input[type=checkbox]', root).forEach(function (i) {
      i.dispatchEvent(new Event('change', { bubbles: true }));
    });
  }

  function render(name) {
    var scr = SCREENS[name];
    S.current = name;
    root.innerHTML = scr.html();
    var step = STEP_OF[name];
    var stepper = document.getElementById('stepper');
    stepper.style.display = step === undefined ? 'none' : 'block';
    $$('.stepper-item', stepper).forEach(function (li, i) {
      li.classList.toggle('ativo', i === step);
      li.classList.toggle('feito', step !== undefined && i < step);
    });
    document.getElementById('tituloSeguro').textContent = S.tipo === 'moto' ? 'Seguro de Moto' : 'Seguro de Carro';
    document.title = name === 'tipo' ? 'Tô Segurado - Simulador de Seguro Auto' : 'Faça agora sua cotação de Seguro Auto';
    var f = $('form.tela', root);
    if (f) {
      f.addEventListener('submit', function (e) {
        e.preventDefault();
        // Without its Continuar (injected fault) the screen cannot be submitted, not even with Enter.
        if (f.getAttribute('data-ocupado') || !f.querySelector('button[type=submit]')) return;
        f.setAttribute('data-ocupado', '1');
        Promise.resolve(scr.submit ? scr.submit() : null).catch(function () {}).then(function () {
          if (f.isConnected) f.removeAttribute('data-ocupado');
        });
      });
      var back = $('[data-voltar]', f);
      if (back) back.addEventListener('click', goBack);
    }
    if (scr.bind) scr.bind();
    restore(name);
    window.scrollTo(0, 0);
  }

  /* Shows the next screen after the scaled transition (and any injected slow fault). An injected
     "desconhecida" fault shows, once, a screen the robot has never seen before the real one. */
  function go(name, opts) {
    opts = opts || {};
    saveCurrent();
    if (!opts.replace && S.current) S.history.push(S.current);
    if (unknownFirst(name)) name = 'desconhecida';
    var scr = SCREENS[name];
    var fault = CFG.falhas[scr.fault];
    var extra = fault && fault.tipo === 'slow' ? Math.round(fault.segundos * 1000) : 0;
    var ms = (S.current ? CFG.transicao_ms : 0) + extra;
    if (ms <= 0) { render(name); return; }
    loading(true);
    return wait(ms).then(function () { loading(false); render(name); });
  }

  function goBack() {
    var prev = S.history.pop();
    if (!prev) return;
    saveCurrent();
    render(prev);
  }

  function unknownFirst(name) {
    var scr = SCREENS[name];
    var fault = scr && CFG.falhas[scr.fault];
    if (!fault || fault.tipo !== 'desconhecida' || S.unknownSeen[name]) return false;
    S.unknownSeen[name] = true;
    S.afterUnknown = name;
    return true;
  }

  /* -------------------------------------------------------------- screens */

  var SCREENS = {};

  /* A screen the portal could add one day: a new question, with its own ids, before the real one. */
  SCREENS.desconhecida = {
    fault: 'desconhecida',
    html: function () {
      return form(this, 'O veículo possui rastreador?', 'Alguns rastreadores dão desconto no seguro.',
        radioGroup('possuiRastreadorTelaRastreador', 'Possui rastreador?', [['nao', 'Não'], ['sim', 'Sim']], 'nao', true),
        'gtm-telaRastreadorContinuar');
    },
    submit: function () { return go(S.afterUnknown, { replace: true }); }
  };

  SCREENS.tipo = {
    fault: '1',
    html: function () {
      var tipos = [['car', 'Carro'], ['motorcycle', 'Moto'], ['life', 'Vida'], ['residence', 'Residência']];
      return '<section class="tela larga"><h1 class="tela-titulo font-workSans">Qual seguro você deseja cotar?</h1>' +
        '<p class="tela-subtitulo">Escolha o tipo de seguro e faça sua cotação em poucos minutos.</p>' +
        '<div class="tipos">' + tipos.map(function (t) {
          return '<button type="button" class="group" data-tipo="' + t[0] + '"><img alt="Icone ' + t[0] + '" src="/insurance-icons/' + t[0] +
            '.svg" width="48" height="48"><p class="font-workSans">' + t[1] + '</p></button>';
        }).join('') + '</div>' +
        '<div class="painel-login"><div><p class="font-bold">Quer mais agilidade? Faça seu login</p>' +
        '<p class="text-sm text-cinza">Com a sua conta, seus dados já vêm preenchidos.</p></div>' +
        '<button type="button" class="botao botao-contorno" id="fazerLoginTelaCotacao"><p class="font-semibold font-workSans text-sm leading-6">Fazer login</p></button></div>' +
        helpButton('1', 'gtm-telaCotacaoAjuda') + '</section>';
    },
    bind: function () {
      $$('.tipos > button', root).forEach(function (b) {
        b.addEventListener('click', function () {
          var t = b.getAttribute('data-tipo');
          if (t === 'car' || t === 'motorcycle') {
            S.tipo = t === 'car' ? 'carro' : 'moto';
            go('placa');
          } else {
            snackbar('Este simulador cota apenas carro e moto no momento.');
          }
        });
      });
      $('#fazerLoginTelaCotacao').addEventListener('click', function () { openLogin('conta'); });
    }
  };

  SCREENS.placa = {
    fault: '2',
    html: function () {
      return form(this, 'Qual é a placa d' + oCarro() + '?', 'Ao informar a placa, conseguimos buscar suas informações mais rápido!',
        textField('placaTelaDadosPlaca', 'plate', 'Placa', { placeholder: 'ABC-1D34', maxlength: 8 }) +
        '<p class="mt-4"><button type="button" class="link" id="cotarSemPlacaTelaDadosPlaca">Desejo cotar sem informar a placa</button></p>' +
        '<div class="dica"><b>Dica:</b> a placa está na frente e na traseira do veículo e também no documento (CRLV).</div>',
        'gtm-telaDadosAutoCotarComPlacaContinuar', 'Cancelar');
    },
    bind: function () {
      bindMask('placaTelaDadosPlaca', maskPlate);
      $('#cotarSemPlacaTelaDadosPlaca').addEventListener('click', function () {
        screenAlert('No momento a cotação sem placa não está disponível. Informe a placa do veículo.', true);
      });
    },
    submit: function () {
      var raw = document.getElementById('placaTelaDadosPlaca').value;
      var p = raw.toUpperCase().replace(/[^A-Z0-9]/g, '');
      screenAlert(null);
      if (!/^[A-Z]{3}[0-9][A-Z0-9][0-9]{2}$/.test(p)) { setError('placaTelaDadosPlaca', 'Placa inválida.'); return; }
      setError('placaTelaDadosPlaca', null);
      loading(true);
      return api('GET', '/api/veiculo?placa=' + encodeURIComponent(p) + '&tipo=' + S.tipo).then(function (r) {
        loading(false);
        if (r.status === 200) {
          S.vehicle = r.data;
          S.estimate = null;
          return go('confirmacao');
        }
        if (r.status === 404 || r.status === 400) { setError('placaTelaDadosPlaca', r.data.erro || 'Placa não encontrada.'); return; }
        screenAlert('Não foi possível consultar a placa agora. Tente novamente em instantes.');
      });
    }
  };

  SCREENS.confirmacao = {
    fault: '3',
    html: function () {
      var v = S.vehicle;
      return form(this, 'Confirme o seu veículo', null,
        '<p class="text-lg mt-4 font-workSans">O veículo <b>' + esc(v.modelo) + '</b> <b>' + v.ano_fabricacao + '/' + v.ano_modelo +
        '</b> corresponde a placa <b>' + esc(v.placa_formatada) + '</b>?</p>' +
        radioGroup('confirmarVeiculoTelaInformacoesVeiculo', 'Confirma o veículo?', [['Sim', 'Sim'], ['Não', 'Não']], 'Sim', true),
        'gtm-telaInfosAutoContinuar');
    },
    submit: function () {
      if (radioValue('confirmarVeiculoTelaInformacoesVeiculo') === 'Não') {
        S.history = S.history.filter(function (n) { return n !== 'placa'; });
        return Promise.resolve(go('placa', { replace: true })).then(function () {
          screenAlert('Informe a placa novamente para buscarmos o veículo correto.', true);
        });
      }
      return go('renovacao');
    }
  };

  SCREENS.renovacao = {
    fault: '4',
    html: function () {
      return form(this, 'Esse veículo já está segurado?', null,
        radioGroup('jaSeguradoTelaRenovacao', 'Esse veículo já está segurado?', [['nao', 'Não'], ['sim', 'Sim']], 'nao', true) +
        '<div class="dica"><b>Dica:</b> se o veículo já tem seguro, você pode ter direito a desconto pela classe de bônus ' +
        'acumulada. O bônus é um desconto concedido a cada renovação sem sinistro e pode chegar a 40% do valor do seguro.</div>',
        'gtm-telaRenovacaoVeiculoContinuar');
    },
    submit: function () { return go('estimativa'); }
  };

  function estimateCard(c) {
    function money(v) {
      var s = String(v).replace(/\B(?=(\d{3})+(?!\d))/g, '.');
      return '<span>R$</span><span>&nbsp;' + s + '</span><span>,00</span>';
    }
    return '<div class="border-2 border-primary rounded-xl h-full flex flex-col">' +
      '<div class="bg-primary rounded-t-lg py-3 px-4"><p class="text-white underline">Cobertura <b>' + esc(c.nome) + '</b></p></div>' +
      // No whitespace around "De"/"até": the real card's text content reads "DeR$ 2.600,00atéR$ 3.200,00com…"
      // (the spacing on screen is CSS margin).
      '<div class="p-4"><p class="text-primary underline faixa">De' + money(c.de) + 'até' + money(c.ate) + '</p>' +
      '<p class="text-sm text-cinza">com possibilidade de parcelamento sem juros</p>' +
      '<p class="font-bold mt-4">Principais Benefícios</p><div class="gap-3 flex flex-col pl-4 mt-3">' +
      c.beneficios.map(function (b) {
        return '<div class="flex gap-2 items-center"><img alt="Icone de OK" src="/icone-ok.svg" width="20" height="20"><p>' + esc(b) + '</p></div>';
      }).join('') + '</div></div></div>';
  }

  function skeletonCard() {
    return '<div class="border-2 border-primary rounded-xl h-full flex flex-col"><div class="bg-primary rounded-t-lg py-3 px-4">' +
      '<span class="MuiSkeleton-root MuiSkeleton-text MuiSkeleton-pulse"></span></div><div class="p-4">' +
      '<span class="MuiSkeleton-root MuiSkeleton-text MuiSkeleton-pulse"></span>' +
      '<span class="MuiSkeleton-root MuiSkeleton-rectangular MuiSkeleton-pulse"></span></div></div>';
  }

  function carousel(cards) {
    return '<div role="region" aria-roledescription="carousel" class="relative mt-6"><div class="overflow-hidden"><div class="carrossel-trilho">' +
      cards.map(function (c) {
        return '<div role="group" aria-roledescription="slide" class="carrossel-slide">' + c + '</div>';
      }).join('') + '</div></div><div class="carrossel-controles">' +
      '<button type="button" class="carrossel-anterior"><span aria-hidden="true">‹</span><span class="sr-only">Previous slide</span></button>' +
      '<button type="button" class="carrossel-proximo"><span aria-hidden="true">›</span><span class="sr-only">Next slide</span></button></div></div>';
  }

  var LATER_REASONS = [['valorParcial', 'Quero ver só o valor parcial'], ['agoraNao', 'Agora não posso'], ['pensarMelhor', 'Quero pensar melhor'],
    ['preencherDepois', 'Prefiro preencher depois'], ['outrasSeguradoras', 'Vou cotar em outras seguradoras'], ['outro', 'Outro motivo']];

  SCREENS.estimativa = {
    fault: '5',
    html: function () {
      var cards = S.estimate ? S.estimate.map(estimateCard) : [skeletonCard(), skeletonCard(), skeletonCard()];
      return form(this, 'Confira abaixo a estimativa inicial para o seu seguro ' + carro() + '!',
        'Essa é somente uma estimativa baseada nos dados fornecidos. O valor estimado é baseado em mais de 30 milhões de cotações de ' +
        'seguros das principais seguradoras do país.',
        '<div id="areaEstimativa">' + carousel(cards) + '</div>' +
        '<p class="mt-4 text-center"><a href="#" class="link" id="abrirContinuarDepois" role="button">Prefiro deixar para depois</a></p>' +
        '<div class="MuiModal-root MuiDialog-root modal" id="modalContinuarDepois" role="presentation" style="display:none">' +
        '<div class="MuiBackdrop-root modal-fundo" aria-hidden="true"></div><div class="MuiDialog-container">' +
        '<div class="MuiPaper-root MuiDialog-paper modal-papel" role="dialog" aria-modal="true">' +
        '<button type="button" class="modal-fechar" id="gtm-telaEstimativaAgoraNaoFechar" aria-label="Fechar">×</button>' +
        '<h2 class="text-xl font-bold">Nos diga porquê prefere continuar depois</h2>' +
        radioGroup('continuarDepoisTelaContinuarDepois', 'Motivo', LATER_REASONS, 'valorParcial') +
        textField('emailTelaContinuarDepois', 'email', 'E-mail (opcional)', { type: 'email' }) +
        textField('celularTelaContinuarDepois', 'celular', 'Celular (opcional)', { placeholder: '(11) 98765-4321' }) +
        '<button type="button" class="botao botao-primario w-full mt-4" id="gtm-telaEstimativaAgoraNaoEnviar"><p class="' + P_CLASS +
        '">ENVIAR</p></button></div></div></div>',
        'gtm-telaEstimativaContinuarParaCotacaoFinal', null, 'larga');
    },
    bind: function () {
      var modal = $('#modalContinuarDepois', root);
      $('#abrirContinuarDepois', root).addEventListener('click', function (e) { e.preventDefault(); modal.style.display = 'block'; });
      $('#gtm-telaEstimativaAgoraNaoFechar', root).addEventListener('click', function () { modal.style.display = 'none'; });
      $('#gtm-telaEstimativaAgoraNaoEnviar', root).addEventListener('click', function () {
        modal.style.display = 'none';
        snackbar('Obrigado! Vamos te lembrar de continuar a cotação.');
      });
      bindMask('celularTelaContinuarDepois', maskPhone);
      bindCarouselControls();
      if (S.estimate) return;
      var mySeq = ++S.seq;
      api('GET', '/api/estimativa?placa=' + encodeURIComponent(S.vehicle.placa) + '&tipo=' + S.tipo).then(function (r) {
        if (mySeq !== S.seq || S.current !== 'estimativa') return;
        var area = document.getElementById('areaEstimativa');
        if (r.status === 200) {
          S.estimate = r.data.coberturas;
          area.innerHTML = carousel(S.estimate.map(estimateCard));
          bindCarouselControls();
        } else {
          area.innerHTML = '<div class="MuiPaper-root MuiAlert-root MuiAlert-standardError" role="alert"><div class="MuiAlert-message">' +
            'Não foi possível carregar a estimativa agora. Tente novamente em instantes.</div></div>';
        }
      });
    },
    submit: function () { return go(S.vehicle.perguntar_zero_km ? 'zerokm' : 'itens'); }
  };

  function bindCarouselControls() {
    var track = $('.carrossel-trilho', root);
    if (!track) return;
    var pos = 0;
    function move(d) {
      var n = track.children.length;
      pos = Math.max(0, Math.min(n - 1, pos + d));
      track.style.transform = window.innerWidth <= 900 ? 'translateX(' + (-100 * pos) + '%)' : '';
    }
    $('.carrossel-anterior', root).addEventListener('click', function () { move(-1); });
    $('.carrossel-proximo', root).addEventListener('click', function () { move(1); });
  }

  SCREENS.zerokm = {
    fault: 'zerokm',
    html: function () {
      return form(this, 'Seu veículo é zero quilômetro?', null,
        radioGroup('zerokmTelaZeroKm', 'O veículo é zero km?', [['Sim', 'Sim'], ['Não', 'Não']], 'Não', true), 'gtm-telaZeroKmContinuar');
    },
    submit: function () { return go('itens'); }
  };

  SCREENS.itens = {
    fault: '6',
    html: function () {
      var outros = [['Blindado', 'Blindado'], ['Financiado', 'Financiado']];
      if (S.tipo !== 'moto') outros.unshift(['Kit Gás', 'Kit Gás']);
      return form(this, (S.tipo === 'moto' ? 'A moto' : 'O carro') + ' possui alguns desses itens?',
        'Selecione os itens abaixo que correspondem ao seu ' + carro() + '.',
        radioGroup('tipoCombustivelTelaItens', 'Combustível', [['1', 'Flex'], ['2', 'Gasolina'], ['3', 'Álcool'], ['4', 'Diesel'],
          ['5', 'Híbrido'], ['6', 'Elétrico']], '1', true) +
        checkboxGroup('outrosTelaItens', 'Outros', outros), 'gtm-telaItensAutoContinuar');
    },
    submit: function () { return go('pernoite'); }
  };

  /* Screen 7: MUI-like Autocomplete fed by the CEP lookup. */
  SCREENS.pernoite = {
    fault: '7',
    html: function () {
      return form(this, 'Onde ' + oCarro() + ' passa a noite?', 'Informe o CEP do local onde o veículo fica durante a noite.',
        '<div class="MuiAutocomplete-root" id="autocompleteTelaEndereco">' +
        '<div class="MuiFormControl-root MuiTextField-root w-full"><label class="MuiFormLabel-root MuiInputLabel-root" for="enderecoTelaEndereco" ' +
        'id="enderecoTelaEndereco-label">Endereço*</label><div class="MuiInputBase-root MuiOutlinedInput-root MuiAutocomplete-inputRoot">' +
        '<input class="MuiInputBase-input MuiOutlinedInput-input MuiAutocomplete-input" id="enderecoTelaEndereco" name="endereco" type="text" ' +
        'role="combobox" aria-autocomplete="list" aria-expanded="false" autocomplete="off" placeholder="Digite o CEP" aria-invalid="false"></div>' +
        '<p class="MuiFormHelperText-root" id="enderecoTelaEndereco-helper-text" style="display:none"></p></div>' +
        '<div class="MuiAutocomplete-popper" role="presentation" style="display:none"><div class="MuiPaper-root MuiAutocomplete-paper"></div></div></div>',
        'gtm-telaPernoiteVeiculoContinuar');
    },
    bind: function () {
      var input = document.getElementById('enderecoTelaEndereco');
      var popper = $('.MuiAutocomplete-popper', root);
      var paper = $('.MuiAutocomplete-paper', root);
      var list = [];
      var active = -1;
      if (S.endereco) input.value = S.endereco.texto;
      function show(html) {
        paper.innerHTML = html;
        popper.style.display = html ? 'block' : 'none';
        input.setAttribute('aria-expanded', html ? 'true' : 'false');
        if (html && $('ul', paper)) input.setAttribute('aria-controls', 'enderecoTelaEndereco-listbox');
        else input.removeAttribute('aria-controls');
      }
      function pickOption(i) {
        S.endereco = list[i];
        input.value = list[i].texto;
        setError('enderecoTelaEndereco', null);
        show('');
      }
      function renderList() {
        show('<ul class="MuiAutocomplete-listbox" role="listbox" id="enderecoTelaEndereco-listbox" aria-labelledby="enderecoTelaEndereco-label">' +
          list.map(function (s, i) {
            return '<div><li id="enderecoTelaEndereco-option-' + i + '" role="option" tabindex="-1" data-option-index="' + i +
              '" aria-selected="false" aria-disabled="false" class="opcao-endereco' + (i === active ? ' Mui-focused' : '') + '">' +
              '<div class="overflow-hidden"><p class="font-workSans">' + esc(s.texto) + '</p>' +
              '<p class="text-xs text-cinza">' + esc(s.cidade + ' - ' + s.uf + ', ' + s.cep) + '</p></div></li></div>';
          }).join('') + '</ul>');
      }
      input.addEventListener('input', function () {
        S.endereco = null;
        active = -1;
        var v = input.value;
        var d = digits(v);
        screenAlert(null);
        setError('enderecoTelaEndereco', null);
        if (d.length < 8 || !/^[\d.\-\s]+$/.test(v)) {
          list = [];
          show(v.trim() ? '<div class="MuiAutocomplete-noOptions">Digite o CEP completo</div>' : '');
          return;
        }
        var mySeq = ++S.seq;
        show('<div class="MuiAutocomplete-loading">Carregando…</div>');
        api('GET', '/api/endereco?cep=' + encodeURIComponent(v)).then(function (r) {
          if (mySeq !== S.seq || S.current !== 'pernoite') return;
          if (r.status === 200 && r.data.sugestoes.length) {
            list = r.data.sugestoes;
            renderList();
          } else if (r.status === 200 || r.status === 400) {
            list = [];
            show('<div class="MuiAutocomplete-noOptions">Nenhum endereço encontrado</div>');
            setError('enderecoTelaEndereco', 'CEP não encontrado. Verifique o CEP informado.');
          } else {
            list = [];
            show('');
            screenAlert('Não foi possível buscar o endereço agora. Tente novamente em instantes.');
          }
        });
      });
      paper.addEventListener('mousedown', function (e) { e.preventDefault(); });
      paper.addEventListener('click', function (e) {
        var li = e.target.closest('li[role=option]');
        if (li) pickOption(Number(li.getAttribute('data-option-index')));
      });
      input.addEventListener('keydown', function (e) {
        if (!list.length || popper.style.display === 'none') return;
        if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
          e.preventDefault();
          active = (active + (e.key === 'ArrowDown' ? 1 : list.length - 1)) % list.length;
          renderList();
        } else if (e.key === 'Enter' && active >= 0) {
          e.preventDefault();
          pickOption(active);
        } else if (e.key === 'Escape') show('');
      });
      input.addEventListener('blur', function () { if (list.length) show(''); });
      input.addEventListener('focus', function () { if (list.length && !S.endereco) renderList(); });
    },
    submit: function () {
      if (!S.endereco) {
        if (!$('#enderecoTelaEndereco-helper-text.Mui-error', root)) setError('enderecoTelaEndereco', 'Selecione um endereço da lista.');
        return;
      }
      return go('uso');
    }
  };

  SCREENS.uso = {
    fault: '8',
    html: function () {
      return form(this, 'Qual é o uso do veículo?', null,
        radioGroup('finalidadeVeiculoTelaUsoVeiculo', 'Finalidade', [['Particular', 'Pessoal'], ['Profissional', 'Profissional'],
          ['Motorista de App', 'Motorista de aplicativo'], ['Taxi', 'Táxi']], 'Particular'), 'gtm-telaUsoVeiculoContinuar');
    },
    submit: function () { return go('segurado'); }
  };

  function personFields(prefix) {
    return textField('nome' + prefix, 'nome', 'Nome completo') +
      textField('cpf' + prefix, 'cpf', 'CPF', { placeholder: '000.000.000-00', inputmode: 'numeric' }) +
      textField('dataNascimento' + prefix, 'dataNascimento', 'Data de nascimento', { placeholder: 'DD/MM/AAAA', inputmode: 'numeric' }) +
      selectField('sexo' + prefix, 'sexo', 'Sexo', SEXO) +
      selectField('estadoCivil' + prefix, 'estadoCivil', 'Estado civil', ESTADO_CIVIL);
  }
  function bindPerson(prefix) {
    bindMask('cpf' + prefix, maskCpf);
    bindMask('dataNascimento' + prefix, maskDate);
  }

  SCREENS.segurado = {
    fault: '9',
    html: function () {
      return form(this, 'Nessa etapa, precisamos dos seus dados pessoais', 'Seus dados são usados somente para o cálculo do seguro.',
        personFields('TelaSegurado') +
        textField('emailTelaSegurado', 'email', 'E-mail', { type: 'email' }) +
        textField('celularTelaSegurado', 'celular', 'Celular', { placeholder: '(11) 98765-4321', inputmode: 'numeric' }),
        'gtm-telaDadosSeguradoContinuar');
    },
    bind: function () {
      bindPerson('TelaSegurado');
      bindMask('emailTelaSegurado', function (v) { return v.toUpperCase(); });
      bindMask('celularTelaSegurado', maskPhone);
    },
    submit: function () {
      var ok = personErrors('TelaSegurado');
      var email = document.getElementById('emailTelaSegurado').value.trim();
      var emailOk = /^[A-Z0-9._%+-]+@[A-Z0-9.-]+\.[A-Z]{2,}$/i.test(email);
      setError('emailTelaSegurado', emailOk ? null : 'E-mail inválido.');
      var cel = digits(document.getElementById('celularTelaSegurado').value);
      var celOk = cel.length === 11 && cel[2] === '9' && cel[0] !== '0';
      setError('celularTelaSegurado', celOk ? null : 'Celular inválido. Informe o DDD e o número com 9 dígitos.');
      if (!ok || !emailOk || !celOk) return;
      S.cpf = document.getElementById('cpfTelaSegurado').value;
      return go('condutor');
    }
  };

  SCREENS.condutor = {
    fault: '10',
    html: function () {
      return form(this, 'Você será o condutor principal do veículo?', 'O condutor principal é quem utiliza o veículo com mais frequência.',
        radioGroup('condutorPrincipalTelaCondutorPrincipal', 'Condutor principal', [['sim', 'Sim'], ['nao', 'Não']], 'sim', true) +
        '<div id="dadosCondutorTelaCondutorPrincipal" style="display:none"><p class="font-bold mt-6">Dados do condutor principal</p>' +
        personFields('TelaCondutorPrincipal') + '</div>', 'gtm-telaCondutorPrincipalContinuar');
    },
    bind: function () {
      bindPerson('TelaCondutorPrincipal');
      toggleOnRadio('condutorPrincipalTelaCondutorPrincipal', 'dadosCondutorTelaCondutorPrincipal', function (v) { return v === 'nao'; });
    },
    submit: function () {
      if (radioValue('condutorPrincipalTelaCondutorPrincipal') === 'nao' && !personErrors('TelaCondutorPrincipal')) return;
      return go('atividade');
    }
  };

  function switchField(id, label) {
    return '<div class="switch-linha" id="' + id + '-linha" style="display:none"><label class="MuiFormControlLabel-root">' +
      '<span class="MuiSwitch-root"><span class="MuiButtonBase-root MuiSwitch-switchBase"><input class="PrivateSwitchBase-input MuiSwitch-input mui-1m9pwf3" type="checkbox" id="' +
      id + '" name="' + id + '" value="sim"><span class="MuiSwitch-thumb"></span></span><span class="MuiSwitch-track"></span></span>' +
      '<span class="MuiTypography-root MuiFormControlLabel-label">' + label + '</span></label></div>';
  }

  SCREENS.atividade = {
    fault: '11',
    html: function () {
      var name = 'atividadeVeiculoTelaAtividadeVeiculo';
      return form(this, 'O veículo é utilizado para ir ao local de trabalho ou estudo?', 'Marque as opções que se aplicam.',
        '<div class="MuiFormControl-root"><div id="' + name + '" class="MuiFormGroup-root" role="group">' +
        choice('checkbox', name, ['trabalho', 'Local de trabalho'], false) +
        switchField('estacionamentoTrabalhoTelaAtividadeVeiculo', 'Possui estacionamento próprio no local de trabalho?') +
        choice('checkbox', name, ['estudo', 'Local de estudo'], false) +
        switchField('estacionamentoEstudoTelaAtividadeVeiculo', 'Possui estacionamento próprio no local de estudo?') +
        '</div></div>', 'gtm-telaAtividadeVeiculoContinuar');
    },
    bind: function () {
      $('form.tela', root).addEventListener('change', function (e) {
        if (e.target.name !== 'atividadeVeiculoTelaAtividadeVeiculo') return;
        var t = $('input[value=trabalho]', root).checked;
        var s = $('input[value=estudo]', root).checked;
        document.getElementById('estacionamentoTrabalhoTelaAtividadeVeiculo-linha').style.display = t ? 'block' : 'none';
        document.getElementById('estacionamentoEstudoTelaAtividadeVeiculo-linha').style.display = s ? 'block' : 'none';
        if (!t) document.getElementById('estacionamentoTrabalhoTelaAtividadeVeiculo').checked = false;
        if (!s) document.getElementById('estacionamentoEstudoTelaAtividadeVeiculo').checked = false;
      });
    },
    submit: function () { return go('garagem'); }
  };

  SCREENS.garagem = {
    fault: '12',
    html: function () {
      return form(this, 'Você possui uma garagem na sua residência?', null,
        radioGroup('possuiGaragemTelaGaragemResidencia', 'Possui garagem?', [['sim', 'Sim'], ['nao', 'Não']], 'sim', true) +
        '<div id="portaoTelaGaragemResidencia">' +
        radioGroup('tipoPortaoTelaGaragemResidencia', 'Qual o tipo de portão?', [['eletronico', 'Eletrônico'], ['manual', 'Manual']], 'eletronico', true) +
        '</div>', 'gtm-telaGaragemResidenciaContinuar');
    },
    bind: function () {
      toggleOnRadio('possuiGaragemTelaGaragemResidencia', 'portaoTelaGaragemResidencia', function (v) { return v === 'sim'; });
    },
    submit: function () { return go('residentes'); }
  };

  SCREENS.residentes = {
    fault: '13',
    html: function () {
      return form(this, 'Você reside com alguém entre 18 e 26 anos?', 'Considere filhos, enteados, cônjuge e outras pessoas que moram com você.',
        radioGroup('usoDependenteTelaUsoResidentes', 'Reside com alguém entre 18 e 26 anos?', [['nao', 'Não'],
          ['sim_nao_utilizam', 'Sim, mas não utilizam o veículo'], ['sim_utilizam', 'Sim e utilizam o veículo']], 'nao') +
        '<div id="dependentesTelaUsoResidentes" style="display:none">' +
        radioGroup('sexoDependenteTelaUsoResidentes', 'Qual o sexo dos residentes?', [['feminino', 'Feminino'], ['masculino', 'Masculino'],
          ['ambos', 'Ambos']], 'feminino', true) +
        radioGroup('faixaEtariaDependenteTelaUsoResidentes', 'Qual a idade do residente mais novo?', [['18_24', '18 a 24 anos'], ['25', '25 anos']],
          '18_24', true) + '</div>', 'gtm-telaUsoResidentesContinuar');
    },
    bind: function () {
      toggleOnRadio('usoDependenteTelaUsoResidentes', 'dependentesTelaUsoResidentes', function (v) { return v !== 'nao'; });
    },
    submit: function () {
      return go(S.vehicle.corretor_anterior ? 'corretor' : 'calculo');
    }
  };

  SCREENS.corretor = {
    fault: '14',
    html: function () {
      var name = 'corretorAnteriorTelaCorretorAnterior';
      function card(value, label, checked) {
        return '<div class="cursor-pointer"><label class="border' + (checked ? ' Mui-checked' : '') + '"><span class="MuiButtonBase-root MuiRadio-root' +
          (checked ? ' Mui-checked' : '') + '"><input class="PrivateSwitchBase-input mui-1m9pwf3" type="radio" name="' + name + '" value="' + value + '"' +
          (checked ? ' checked' : '') + '><span class="icone-radio"></span></span><p class="font-workSans font-semibold">' + label + '</p></label></div>';
      }
      return form(this, 'Você já tem um corretor de seguros?', 'Identificamos uma cotação anterior deste veículo com outro corretor. Como prefere continuar?',
        '<div id="' + name + '" class="opcoes-cartao" role="radiogroup">' + card('sim', 'Sim, continuar com meu corretor', true) +
        card('nao', 'Não, quero outro corretor', false) + '</div>', 'gtm-telaCorretorAnteriorContinuar');
    },
    submit: function () { return go('calculo'); }
  };

  /* Screen 15: the calculation countdown, then the result or the manual-quote page. */
  function mmss(ms) {
    var s = Math.max(0, Math.ceil(ms / 1000));
    return ('0' + Math.floor(s / 60)).slice(-2) + ':' + ('0' + (s % 60)).slice(-2);
  }

  SCREENS.calculo = {
    fault: '15',
    html: function () {
      var msg = S.vehicle.corretor_anterior ? 'Por favor, aguarde. Estamos buscando o corretor ideal para você!' : 'Por favor, aguarde. Estamos realizando o cálculo para você!';
      return '<section class="tela text-center"><p class="text-xl font-bold font-workSans">' + msg + '</p>' +
        '<svg class="mapa" width="260" height="150" viewBox="0 0 260 150" aria-hidden="true"><path d="M20 120 L70 40 L120 90 L170 30 L240 110" fill="none" stroke="#d1d5db" stroke-width="3"/>' +
        '<circle cx="70" cy="40" r="7" fill="#5b2be0"/><circle cx="170" cy="30" r="7" fill="#5b2be0"/><circle cx="120" cy="90" r="7" fill="#9b84ee"/></svg>' +
        '<p class="contagem font-workSans" id="contagemTelaCalculo">Tempo estimado em <b>' + mmss(CFG.contagem_ms) + '</b></p>' +
        '<div class="alerta-tela"></div></section>';
    },
    bind: function () {
      var mySeq = ++S.seq;
      var body = { placa: S.vehicle.placa, tipo: S.tipo, cpf: S.cpf || '' };
      api('POST', '/api/calculo', body).then(function (r) {
        if (mySeq !== S.seq) return;
        if (r.status !== 201) {
          $('#contagemTelaCalculo', root).remove();
          screenAlert('Não foi possível realizar o cálculo agora. Tente novamente mais tarde.');
          return;
        }
        S.calcId = r.data.id;
        var end = Date.now() + r.data.contagem_ms;
        var clock = $('#contagemTelaCalculo b', root);
        var timer = setInterval(function () {
          if (!clock.isConnected) { clearInterval(timer); return; }
          clock.textContent = mmss(end - Date.now());
        }, 250);
        function poll(delay) {
          setTimeout(function () {
            api('GET', '/api/calculo/' + S.calcId).then(function (p) {
              if (mySeq !== S.seq) return;
              if (p.status === 200 && p.data.estado === 'concluido') {
                clearInterval(timer);
                S.result = p.data;
                go(p.data.resultado === 'cotacao_manual' ? 'manual' : 'resultado', { replace: true });
              } else if (p.status === 200) {
                poll(Math.min(p.data.restante_ms, 500));
              } else {
                poll(1000);
              }
            });
          }, delay);
        }
        poll(r.data.pronto_em_ms);
      });
    }
  };

  /* Result rows after the title, the premium and "anual": label, plan field, kind. */
  var ROWS = [['Forma de pagamento', 'forma_pagamento', 'texto'], ['Franquia', 'valor_franquia', 'dinheiro'],
    ['Tipo de franquia', 'tipo_franquia', 'texto'], ['Valor de mercado', 'valor_mercado', 'texto'],
    ['Assistência 24h', 'assistencia', 'icone'], ['Vidros', 'vidros', 'icone'], ['Carro reserva', 'carro_reserva', 'icone'],
    ['Danos materiais', 'danos_materiais', 'dinheiro'], ['Danos corporais', 'danos_corporais', 'dinheiro'],
    ['Danos morais', 'danos_morais', 'dinheiro'], ['Morte/Invalidez', 'morte_invalidez', 'dinheiro']];
  // Blurred before log-in, as on the real portal: every amount and the payment line.
  var BLURRED = { forma_pagamento: 1, valor_franquia: 1, danos_materiais: 1, danos_corporais: 1, danos_morais: 1, morte_invalidez: 1 };

  /*
   * Layouts of the result page (--variante-resultado). Values are identical in all of them.
   * - padrao: label column + two cards, one <p> per row, a line break between rows (the real
   *   portal's card text has one: see portal/README.md, "Resultado: fatos e inferências");
   * - rotulos-no-cartao: as padrao, and each row repeats its label (shown only on narrow screens);
   *   the cards are labelled groups;
   * - sem-coluna-de-rotulos: no label column; each card is a <dl> of <dt>/<dd> pairs, no whitespace
   *   between elements; the grid is a list of cards;
   * - linhas-em-lista: the label column and the rows are <li> items of <ul role="list">, indented.
   */
  var VARIANT = {
    'padrao': { sep: '\n', column: 'p' },
    'rotulos-no-cartao': { sep: '\n', column: 'p', inCard: true },
    'sem-coluna-de-rotulos': { sep: '', column: null, dl: true },
    'linhas-em-lista': { sep: '\n  ', column: 'li' }
  }[CFG.variante_resultado || 'padrao'];

  function planCard(p, recommended, hidden) {
    function icon(ok) {
      return ok ? '<img alt="Icone de OK" src="/icone-ok.svg" width="22" height="22">' : '<img alt="Icone de NOK" src="/icone-nok.svg" width="22" height="22">';
    }
    function value(row) {
      var v = p[row[1]];
      if (row[2] === 'icone') return icon(v);
      return row[2] === 'dinheiro' ? esc(v).replace('R$ ', 'R$\u00a0') : esc(v);
    }
    function cls(row) {
      return 'linha' + (row[2] === 'icone' ? ' icone' : '') + (row[1] === 'forma_pagamento' ? ' text-sm' : '') +
        (hidden && BLURRED[row[1]] ? ' borrado' : '');
    }
    var sep = VARIANT.sep;
    var which = recommended ? 'Recomendado' : 'Alternativo';
    var head = ['<p class="cabecalho-plano font-workSans" id="tituloPlano' + which + '">' + esc(p.plano) + '</p>',
      '<p class="preco' + (hidden ? ' borrado' : '') + '"><span>R$</span><span>' + esc(p.valor) + '</span></p>',
      '<p class="anual">anual</p>'];
    var rows;
    if (VARIANT.dl) {
      rows = ['<dl class="linhas">' + ROWS.map(function (row) {
        return '<dt class="rotulo-linha">' + row[0] + '</dt><dd class="' + cls(row) + '">' + value(row) + '</dd>';
      }).join('') + '</dl>'];
    } else if (VARIANT.column === 'li') {
      rows = ['<ul role="list" class="linhas">' + sep + ROWS.map(function (row) {
        return '<li class="' + cls(row) + '">' + value(row) + '</li>';
      }).join(sep) + sep + '</ul>'];
    } else {
      rows = ROWS.map(function (row) {
        var label = VARIANT.inCard ? '<span class="rotulo-cartao">' + row[0] + '</span>' : '';
        return '<p class="' + cls(row) + '">' + label + (VARIANT.inCard ? '<span class="valor">' + value(row) + '</span>' : value(row)) + '</p>';
      });
    }
    var button = '<button type="button" class="botao botao-primario w-full mt-4" id="gtm-telaResultadoContratar' + which +
      '"><p class="' + P_CLASS + '">Contratar</p></button>';
    var attrs = VARIANT.inCard ? ' role="group" aria-labelledby="tituloPlano' + which + '"' :
      (VARIANT.dl ? ' role="listitem"' : '');
    return '<div class="plano md:w-80 border-4 ' + (recommended ? 'border-primary' : 'border-gray-200') + ' rounded-xl"' + attrs + '>' +
      head.concat(rows, [button]).join(sep) + '</div>';
  }

  function labelColumn() {
    var sep = VARIANT.sep;
    if (!VARIANT.column) return '';
    if (VARIANT.column === 'li') {
      return '<ul role="list" class="coluna-rotulos">' + sep + ROWS.map(function (r) { return '<li>' + r[0] + '</li>'; }).join(sep) + sep + '</ul>';
    }
    return '<div class="coluna-rotulos">' + ROWS.map(function (r) { return '<p>' + r[0] + '</p>'; }).join(sep) + '</div>';
  }

  function renderPlans() {
    var d = S.result;
    var hidden = !d.autenticado;
    var sep = VARIANT.sep;
    $('#gradeResultado', root).innerHTML = [labelColumn(), planCard(d.planos.plano_recomendado, true, hidden),
      planCard(d.planos.plano_alternativo, false, hidden)].filter(Boolean).join(sep);
  }

  SCREENS.resultado = {
    fault: null, // reached from screen 15: its faults apply once, to the countdown
    html: function () {
      return '<section class="tela larga"><h1 class="tela-titulo font-workSans">Parabéns, chegamos ao resultado final da cotação!</h1>' +
        '<p class="tela-subtitulo">Confira abaixo os melhores planos elaborados exclusivamente para você</p>' +
        (VARIANT.column ? '<div class="grid grid-cols-[250px_1fr_1fr] grade-resultado" id="gradeResultado"></div>' :
          '<div class="grid grid-cols-1 md:grid-cols-2 grade-resultado sem-rotulos" id="gradeResultado" role="list"></div>') +
        helpButton('15', 'gtm-telaResultadoAjuda') + '</section>';
    },
    bind: function () {
      var d = S.result;
      if (d.autenticado && d.cpf_divergente) {
        // Logged in before the result with another person's account: placeholders until the choice.
        api('GET', '/api/calculo/' + S.calcId, undefined, true).then(function (p) {
          if (p.status !== 200) return;
          S.result = p.data;
          renderPlans();
          afterLogin(d);
        });
        return;
      }
      renderPlans();
      if (!d.autenticado) setTimeout(function () { if (S.current === 'resultado') openLogin('resultado'); }, CFG.login_overlay_ms);
    }
  };

  SCREENS.manual = {
    fault: null,
    html: function () {
      return '<section class="tela"><p class="text-center text-base font-bold font-workSans">Ops, ainda não encontramos resultados para você</p>' +
        '<p class="text-center text-sm mt-4 text-cinza">Não foi possível efetuar o cálculo nesse momento. O corretor de seguros já foi notificado ' +
        'e logo entrará em contato para te auxiliar a encontrar as melhores opções.</p></section>';
    }
  };

  /* ----------------------------------------------- log-in and CPF modal */

  var loginModal = document.getElementById('modalLogin');
  var loginMode = 'conta';

  function openLogin(mode) {
    loginMode = mode;
    document.getElementById('avisoModalLogin').style.display = mode === 'resultado' ? 'block' : 'none';
    document.getElementById('gtm-telaResultadoAgoraNaoFechar').style.display = mode === 'resultado' ? 'block' : 'none';
    document.getElementById('fecharModalLogin').style.display = mode === 'resultado' ? 'none' : 'block';
    setError('senhaTelaLogin', null);
    loginModal.style.display = 'block';
  }
  function closeLogin() { loginModal.style.display = 'none'; }

  document.getElementById('fecharModalLogin').addEventListener('click', closeLogin);
  document.getElementById('gtm-telaResultadoAgoraNaoFechar').addEventListener('click', closeLogin);
  document.getElementById('gtm-telaLoginBotaoGoogle').addEventListener('click', function () {
    setError('senhaTelaLogin', 'Login com Google indisponível no momento. Use e-mail e senha.');
  });
  document.getElementById('formLogin').addEventListener('submit', function (e) {
    e.preventDefault();
    var email = document.getElementById('emailTelaLogin').value;
    var senha = document.getElementById('senhaTelaLogin').value;
    if (!email.trim() || !senha) { setError('senhaTelaLogin', 'Informe o e-mail e a senha.'); return; }
    loading(true);
    api('POST', '/api/login', { email: email, senha: senha }).then(function (r) {
      loading(false);
      if (r.status !== 200) {
        setError('senhaTelaLogin', r.status === 401 ? 'E-mail ou senha inválidos.' : 'Não foi possível entrar agora. Tente novamente.');
        return;
      }
      S.token = r.data.token;
      closeLogin();
      if (loginMode !== 'resultado' || S.current !== 'resultado') { snackbar('Login realizado com sucesso.'); return; }
      return api('GET', '/api/calculo/' + S.calcId).then(function (p) {
        if (p.status === 200) afterLogin(p.data);
      });
    });
  });

  /* Shows the logged-in result, or first the CPF-mismatch modal (values stay hidden until the choice). */
  function afterLogin(data) {
    if (!data.cpf_divergente) { S.result = data; renderPlans(); return; }
    setTimeout(function () { if (S.current === 'resultado') openCpfModal(data); }, CFG.cpf_modal_ms);
  }

  function openCpfModal(data) {
    var m = document.createElement('div');
    m.className = 'MuiModal-root MuiDialog-root modal';
    m.id = 'modalAssociarUsuario';
    m.setAttribute('role', 'presentation');
    m.innerHTML = '<div class="MuiBackdrop-root modal-fundo" aria-hidden="true"></div><div class="MuiDialog-container">' +
      '<div class="MuiPaper-root MuiDialog-paper modal-papel" role="dialog" aria-modal="true">' +
      '<h2 class="text-xl font-bold font-workSans">CPF informado não corresponde à conta</h2>' +
      '<p class="text-sm mt-2">O CPF informado na cotação é diferente do CPF da conta que você acessou. Deseja manter o login atual ou entrar com outra conta?</p>' +
      '<div class="flex flex-col gap-3 mt-6"><button type="button" class="botao botao-primario w-full" id="manterLoginAtualModalAssociarUsuario">' +
      '<p class="' + P_CLASS + '">Manter Login atual</p></button>' +
      '<button type="button" class="botao botao-contorno w-full" id="logarComOutraContaModalAssociarUsuario"><p class="' + P_CLASS +
      '">Logar com outra conta</p></button></div></div></div>';
    document.body.appendChild(m);
    m.querySelector('#manterLoginAtualModalAssociarUsuario').addEventListener('click', function () {
      m.remove();
      S.result = data;
      renderPlans();
    });
    m.querySelector('#logarComOutraContaModalAssociarUsuario').addEventListener('click', function () {
      m.remove();
      S.token = null;
      renderPlans();
      openLogin('resultado');
    });
  }

  render(unknownFirst('tipo') ? 'desconhecida' : 'tipo');
})();
