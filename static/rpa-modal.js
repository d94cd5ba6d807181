/**
 * rpa-modal.js — the quote-progress modal of RPA V4 for the broker's Webflow quote form.
 *
 * Owns, for one page: taking over the quote form's submission (and nothing else on the page),
 * mapping the form's field names to the API's, starting one quote per click, showing the API's
 * field errors next to the fields, and a modal that follows the quote by polling the service:
 * the 15 real steps, the queue position, an honest time estimate, the initial estimate
 * (screen 5), the two final plans, and the outcomes by error `tipo`. It also keeps the quote
 * session in sessionStorage so a reload resumes it, and pushes GTM events without personal data.
 *
 * What the modal shows is decided by pure functions (no DOM, no timer, no global), exported as
 * `RpaModal.helpers` and tested directly: `progressView` turns a progress answer into the view
 * model of the progress part, `outcomeOf` turns a failed quote's errors into its outcome block.
 * The controller only wires them to the view.
 *
 * One dependency-free file, no build step. Include it once:
 *
 *   <script src="https://rpa.example.com/static/rpa-modal.js"
 *           data-api-base="https://rpa.example.com"      (default: this script's origin)
 *           data-form="#wf-form-Cotacao"                  (default: the form of #submit_button_auto)
 *           data-submit-button="#submit_button_auto"
 *           data-success-url="https://www.segurosimediato.com.br/sucesso"   (optional)
 *           data-color-primary="#003366" data-color-accent="#0099CC"
 *           data-css="…/rpa-modal.css"                    (default: next to this script)
 *           data-enabled="true" defer></script>
 *
 * Everything the visitor reads is pt-BR; code and identifiers are English.
 */
(function () {
  'use strict';

  // A second copy of this script on the page must not bind a second set of handlers.
  if (window.RpaModal) return;

  /* ------------------------------------------------------------------ configuration */

  /** Reads the data- attributes of this script's tag. */
  function readConfig(script) {
    var ds = (script && script.dataset) || {};
    var origin = '';
    try {
      origin = script && script.src ? new URL(script.src, location.href).origin : location.origin;
    } catch (e) {
      origin = location.origin;
    }
    var base = (ds.apiBase || origin || '').replace(/\/+$/, '');
    var cssUrl = ds.css || '';
    if (!cssUrl) {
      try {
        cssUrl = new URL('rpa-modal.css', script && script.src ? script.src : base + '/static/').href;
      } catch (e) {
        cssUrl = base + '/static/rpa-modal.css';
      }
    }
    return {
      apiBase: base,
      formSelector: ds.form || '',
      submitSelector: ds.submitButton || '#submit_button_auto',
      successUrl: ds.successUrl || '',
      cssUrl: cssUrl,
      primary: safeColor(ds.colorPrimary, '#003366'),
      accent: safeColor(ds.colorAccent, '#0099CC'),
      enabled: ds.enabled !== 'false',
      pollMs: 2000,
      maxBackoffMs: 30000,
      startTimeoutMs: 20000,
      progressTimeoutMs: 10000,
    };
  }

  function safeColor(value, fallback) {
    return /^#[0-9a-fA-F]{3,8}$/.test(value || '') ? value : fallback;
  }

  var config = readConfig(document.currentScript);

  /* ------------------------------------------------------------------ texts (pt-BR) */

  /** The 15 real screens of the insurer's portal, by what the visitor recognises. */
  var STEPS = [
    'Tipo de veículo',
    'Placa',
    'Confirmação do veículo',
    'Seguro novo ou renovação',
    'Estimativa inicial',
    'Itens do veículo',
    'Pernoite (CEP)',
    'Uso do veículo',
    'Dados pessoais',
    'Condutor principal',
    'Trabalho e estudo',
    'Garagem',
    'Residentes de 18 a 26 anos',
    'Corretor anterior',
    'Cálculo final',
  ];

  /** Typical seconds each screen takes on the real portal (step 15 is the insurer's calculation). */
  var TYPICAL_STEP_SECONDS = [4, 2, 1, 1, 8, 2, 5, 2, 5, 1, 1, 1, 2, 2, 55];
  var PROFILE_SECONDS = TYPICAL_STEP_SECONDS.reduce(function (a, b) { return a + b; }, 0);

  var COVERAGE_HINTS = {
    'Compreensiva': 'colisão, roubo, incêndio e danos a terceiros',
    'Roubo e Furto': 'roubo e furto do veículo',
    'RCF': 'danos a terceiros',
  };

  var TEXT = {
    titleRunning: 'Calculando seu seguro',
    titleSuccess: 'Sua cotação está pronta',
    titleManual: 'Um especialista vai cuidar da sua cotação',
    titleRejected: 'Precisamos que você confira um dado',
    titleError: 'Um especialista vai cuidar da sua cotação',
    titleStartFailed: 'Não foi possível iniciar o cálculo',
    specialistHeading: 'Cálculo com um especialista',
    sending: 'Enviando seus dados com segurança…',
    resuming: 'Retomando o acompanhamento do seu cálculo…',
    waitingFree: 'Seu cálculo começa assim que um robô de cálculo ficar livre.',
    manual:
      'Para o seu perfil, a seguradora pede um cálculo feito por uma pessoa. ' +
      'Fique tranquilo: um especialista da Imediato Seguros vai calcular e entrar em contato com você em breve.',
    specialist:
      'Não conseguimos concluir o cálculo automático agora. ' +
      'Fique tranquilo: um especialista da Imediato Seguros vai calcular e entrar em contato com você em breve.',
    successNote:
      'Valores calculados agora no portal da seguradora. Um especialista da Imediato Seguros ' +
      'entrará em contato para passar os detalhes e concluir a contratação.',
    estimateNote: 'Valores aproximados do seguro anual. O cálculo final vem a seguir.',
    estimateNoteFinal: 'Esta foi a estimativa inicial; os valores finais estão nos planos acima.',
    estimateNoteSpecialist: 'Esta foi a estimativa inicial da seguradora; o especialista confirma os valores finais.',
    network: 'Não conseguimos falar com o nosso servidor. Verifique sua conexão com a internet e tente novamente.',
    rateLimited: 'Recebemos muitas tentativas em pouco tempo.',
    rateLimitedLater: 'Aguarde um minuto e tente novamente.',
    busy: 'Nosso sistema de cálculo está com muita procura agora.',
    busyLater: 'Tente novamente em instantes.',
    titleReceived: 'Recebemos seus dados',
    receivedHeading: 'Um especialista vai entrar em contato',
    received:
      'Nosso sistema de cálculo está com muita procura agora, mas seus dados chegaram com segurança. ' +
      'Um especialista da Imediato Seguros vai calcular a sua cotação e entrar em contato com você em breve.',
    receivedRetry: 'Se preferir, tente o cálculo automático de novo daqui a alguns minutos.',
    elsewhere:
      'Já existe um cálculo em andamento com estes dados, iniciado em outra aba ou em outro aparelho. ' +
      'Acompanhe-o por lá, ou tente de novo aqui quando ele terminar.',
    startError: 'Tivemos um problema ao iniciar o cálculo. Tente novamente em instantes.',
    unstable: 'Conexão instável. Tentando novamente…',
    lost: 'Não encontramos mais este cálculo. Envie o formulário de novo para recomeçar.',
    tooLong:
      'O cálculo está demorando mais do que deveria. ' +
      'Fique tranquilo: um especialista da Imediato Seguros vai calcular e entrar em contato com você em breve.',
    fixFields: 'Confira os campos destacados e envie de novo.',
    rejected: 'A seguradora não aceitou este dado. Corrija-o e envie de novo.',
  };

  /* ------------------------------------------------------------------ form ↔ API field map */

  /** Form field name → API field name (DDD-CELULAR + CELULAR are joined into telefone). */
  var FIELD_MAP = {
    'NOME': 'nome',
    'nome': 'nome',
    'CPF': 'cpf',
    'PLACA': 'placa',
    'MARCA': 'marca',
    'ANO': 'ano',
    'TIPO-DE-VEICULO': 'tipo_veiculo',
    'CEP': 'cep',
    'email': 'email',
    'EMAIL': 'email',
    'SEXO': 'sexo',
    'DATA-DE-NASCIMENTO': 'data_nascimento',
    'ESTADO-CIVIL': 'estado_civil',
    'GCLID_FLD': 'gclid',
    'landing_url': 'landing_url',
  };

  /** API field name → form field name (where its error is shown). */
  var ERROR_FIELD = {
    nome: ['NOME', 'nome'],
    cpf: ['CPF'],
    placa: ['PLACA'],
    marca: ['MARCA'],
    ano: ['ANO'],
    tipo_veiculo: ['TIPO-DE-VEICULO'],
    cep: ['CEP'],
    telefone: ['CELULAR'],
    celular: ['CELULAR'],
    ddd: ['DDD-CELULAR'],
    email: ['email', 'EMAIL'],
    sexo: ['SEXO'],
    data_nascimento: ['DATA-DE-NASCIMENTO'],
    estado_civil: ['ESTADO-CIVIL'],
  };

  /** What the visitor calls each API field. */
  var FIELD_LABEL = {
    nome: 'Nome',
    cpf: 'CPF',
    placa: 'Placa',
    marca: 'Marca e modelo',
    ano: 'Ano do veículo',
    tipo_veiculo: 'Tipo de veículo',
    cep: 'CEP',
    telefone: 'Celular',
    celular: 'Celular',
    ddd: 'DDD',
    email: 'E-mail',
    sexo: 'Sexo',
    data_nascimento: 'Data de nascimento',
    estado_civil: 'Estado civil',
  };

  /** The start request with this tab's token_retomada, if it has one (a copy: the form's payload stays as it is). */
  function withResumeToken(payload) {
    var rec = store.load();
    if (!rec || !rec.token) return payload;
    var body = {};
    for (var k in payload) body[k] = payload[k];
    body.token_retomada = rec.token;
    return body;
  }

  /** Builds the API request body from the quote form. Empty fields are left out. */
  function collectPayload(form) {
    var body = {};
    var ddd = '';
    var cel = '';
    for (var i = 0; i < form.elements.length; i++) {
      var el = form.elements[i];
      var name = el.name;
      if (!name || el.disabled || el.type === 'submit' || el.type === 'button') continue;
      if ((el.type === 'radio' || el.type === 'checkbox') && !el.checked) continue;
      var value = el.value == null ? '' : String(el.value).trim();
      if (name === 'DDD-CELULAR') { ddd = value; continue; }
      if (name === 'CELULAR') { cel = value; continue; }
      var key = FIELD_MAP[name] || (/^utm_[a-z_]+$/i.test(name) ? name.toLowerCase() : null);
      if (!key || value === '') continue;
      if (key === 'ano' && /^\d{4}$/.test(value)) value = parseInt(value, 10);
      if (key === 'tipo_veiculo') value = value.toLowerCase();
      body[key] = value;
    }
    var phone = (ddd + cel).replace(/\D/g, '');
    if (phone) body.telefone = phone;
    return body;
  }

  function findField(form, apiField) {
    var names = ERROR_FIELD[apiField] || [apiField];
    for (var i = 0; i < names.length; i++) {
      var el = form.elements.namedItem(names[i]);
      if (el && typeof RadioNodeList !== 'undefined' && el instanceof RadioNodeList) el = el[0];
      if (el) return el;
    }
    return null;
  }

  /** The API fields whose errors this form can show next to one of its fields (as findField finds them). */
  function fieldsOnForm(form) {
    var fields = Object.keys(ERROR_FIELD).filter(function (apiField) { return findField(form, apiField); });
    for (var i = 0; i < form.elements.length; i++) {
      var name = form.elements[i].name;
      if (name && !Object.prototype.hasOwnProperty.call(ERROR_FIELD, name) && fields.indexOf(name) < 0) fields.push(name);
    }
    return fields;
  }

  function fieldLabel(apiField) {
    return FIELD_LABEL[apiField] || apiField.replace(/_/g, ' ');
  }

  /** Short non-reversible fingerprint of a payload: tells "same answers" from "changed answers". */
  function fingerprint(payload) {
    var keys = Object.keys(payload).sort();
    var text = keys.map(function (k) { return k + '=' + payload[k]; }).join('&');
    var h = 0x811c9dc5;
    for (var i = 0; i < text.length; i++) {
      h ^= text.charCodeAt(i);
      h = Math.imul(h, 0x01000193) >>> 0;
    }
    return h.toString(16);
  }

  /* ------------------------------------------------------------------ field errors on the form */

  var fieldErrors = {
    /** Removes every error this script added to the form. */
    clear: function (form) {
      var olds = form.querySelectorAll('.rpa-field-error');
      for (var i = 0; i < olds.length; i++) olds[i].remove();
      var marked = form.querySelectorAll('[data-rpa-invalid]');
      for (var j = 0; j < marked.length; j++) this.unmark(marked[j]);
      var alert = form.querySelector('.rpa-form-alert');
      if (alert) alert.remove();
    },

    unmark: function (el) {
      el.removeAttribute('aria-invalid');
      el.removeAttribute('data-rpa-invalid');
      var ids = (el.getAttribute('aria-describedby') || '').split(/\s+/).filter(function (id) {
        return id && id.indexOf('rpa-error-') !== 0;
      });
      if (ids.length) el.setAttribute('aria-describedby', ids.join(' '));
      else el.removeAttribute('aria-describedby');
    },

    /** Shows one message next to a field; returns false when the form has no such field. */
    show: function (form, apiField, message) {
      var el = findField(form, apiField);
      if (!el) return false;
      var id = 'rpa-error-' + (el.name || apiField).replace(/[^A-Za-z0-9_-]/g, '_');
      var box = document.getElementById(id);
      if (!box) {
        box = document.createElement('div');
        box.id = id;
        box.className = 'rpa-field-error';
        // Inside a grid or flex row (DDD + number side by side) the message goes under the row.
        var parent = el.parentElement;
        var inRow = parent && parent !== form && /grid|flex/.test(getComputedStyle(parent).display);
        (inRow ? parent : el).insertAdjacentElement('afterend', box);
      }
      box.textContent = message;
      el.setAttribute('aria-invalid', 'true');
      el.setAttribute('data-rpa-invalid', '');
      var described = (el.getAttribute('aria-describedby') || '').split(/\s+/).filter(Boolean);
      if (described.indexOf(id) < 0) described.push(id);
      el.setAttribute('aria-describedby', described.join(' '));
      var self = this;
      el.addEventListener('input', function onInput() {
        el.removeEventListener('input', onInput);
        box.remove();
        self.unmark(el);
      });
      return true;
    },

    /**
     * Shows the API's 422 erros[] next to the fields and a summary above the button; focuses the
     * first field with an error, or the summary when no error belongs to a field of the form.
     */
    showAll: function (form, erros, submitButton) {
      this.clear(form);
      var first = null;
      var loose = [];
      for (var i = 0; i < erros.length; i++) {
        var e = erros[i] || {};
        var campo = String(e.campo || '');
        var msg = String(e.mensagem || 'Valor inválido.');
        if (this.show(form, campo, msg)) {
          first = first || findField(form, campo);
        } else {
          loose.push((campo ? fieldLabel(campo) + ': ' : '') + msg);
        }
      }
      var alert = document.createElement('div');
      alert.className = 'rpa-form-alert';
      alert.setAttribute('role', 'alert');
      alert.textContent = TEXT.fixFields + (loose.length ? ' ' + loose.join(' ') : '');
      if (submitButton && submitButton.parentNode) submitButton.insertAdjacentElement('beforebegin', alert);
      else form.appendChild(alert);
      if (first) {
        first.focus();
      } else {
        alert.tabIndex = -1;
        alert.focus();
      }
    },
  };

  /* ------------------------------------------------------------------ HTTP client */

  /**
   * One JSON request bounded in time and cancellable from outside.
   * Resolves to {status, data, retryAfter}; rejects only on network failure or abort.
   */
  function requestJson(method, url, body, outerSignal, timeoutMs) {
    var ctrl = new AbortController();
    var onOuterAbort = function () { ctrl.abort(); };
    if (outerSignal) {
      if (outerSignal.aborted) ctrl.abort();
      else outerSignal.addEventListener('abort', onOuterAbort);
    }
    var timer = setTimeout(function () { ctrl.abort(); }, timeoutMs);
    var init = { method: method, signal: ctrl.signal, credentials: 'omit', cache: 'no-store', headers: {} };
    if (body !== undefined) {
      init.headers['Content-Type'] = 'application/json';
      init.body = JSON.stringify(body);
    }
    return fetch(url, init)
      .then(function (res) {
        return res.text().then(function (text) {
          var data = null;
          try { data = text ? JSON.parse(text) : null; } catch (e) { data = null; }
          return { status: res.status, data: data, retryAfter: res.headers.get('Retry-After') };
        });
      })
      .finally(function () {
        clearTimeout(timer);
        if (outerSignal) outerSignal.removeEventListener('abort', onOuterAbort);
      });
  }

  var api = {
    start: function (payload, signal) {
      return requestJson('POST', config.apiBase + '/api/rpa/start', payload, signal, config.startTimeoutMs);
    },
    progress: function (sessionId, signal) {
      return requestJson(
        'GET',
        config.apiBase + '/api/rpa/progress/' + encodeURIComponent(sessionId),
        undefined,
        signal,
        config.progressTimeoutMs
      );
    },
  };

  /* ------------------------------------------------------------------ session store */

  /**
   * The current quote session of this tab: {id, fp, token, startedAt, final, dismissed, events}.
   * `token` is the service's token_retomada: with it a repeated submit of the same CPF and plate
   * gets this session back; without it the service does not say which session is running.
   */
  var store = {
    key: 'rpa-modal:session',
    load: function () {
      try {
        var rec = JSON.parse(sessionStorage.getItem(this.key) || 'null');
        if (rec && /^[A-Za-z0-9_-]{1,100}$/.test(rec.id || '')) return rec;
      } catch (e) { /* storage unavailable or corrupt: behave as a new visit */ }
      return null;
    },
    save: function (rec) {
      try { sessionStorage.setItem(this.key, JSON.stringify(rec)); } catch (e) { /* best effort */ }
    },
    update: function (patch) {
      var rec = this.load();
      if (!rec) return null;
      for (var k in patch) rec[k] = patch[k];
      this.save(rec);
      return rec;
    },
  };

  /* ------------------------------------------------------------------ analytics */

  /**
   * Pushes a GTM event (once per quote session unless `repeatable`). Never carries personal data:
   * only the event name and, for errors, the error `tipo`.
   */
  function track(event, extra, repeatable) {
    var rec = repeatable ? null : store.load();
    if (rec) {
      rec.events = rec.events || [];
      if (rec.events.indexOf(event) >= 0) return;
      rec.events.push(event);
      store.save(rec);
    }
    var payload = { event: event };
    for (var k in extra || {}) payload[k] = extra[k];
    window.dataLayer = window.dataLayer || [];
    window.dataLayer.push(payload);
  }

  /* ------------------------------------------------------------------ time estimate */

  /**
   * Honest remaining-time text from the current step and the time already spent in it. The
   * per-step profile is scaled to `typicalTotal` (the service's `duracao_tipica_s`: how long
   * quotes really take on this installation) when the service knows it. It never counts down to
   * zero: past the typical time it says so instead of inventing a number.
   */
  function remainingText(etapa, secondsInStep, elapsedSeconds, typicalTotal) {
    var scale = typicalTotal > 0 ? Math.min(Math.max(typicalTotal / PROFILE_SECONDS, 0.02), 10) : 1;
    var total = PROFILE_SECONDS * scale;
    if (etapa < 1) return totalText(typicalTotal);
    var current = (TYPICAL_STEP_SECONDS[etapa - 1] || 0) * scale;
    var rest = 0;
    for (var j = etapa; j < TYPICAL_STEP_SECONDS.length; j++) rest += TYPICAL_STEP_SECONDS[j] * scale;
    if (elapsedSeconds > Math.max(total * 2.5, 30)) {
      return 'Está levando mais que o normal, mas seguimos calculando.';
    }
    if (secondsInStep > current && rest < 20) return 'Quase pronto: a seguradora está finalizando o cálculo.';
    var left = Math.max(current - secondsInStep, 0) + rest;
    if (left < 20) return 'Quase pronto.';
    if (left < 60) return 'Tempo restante estimado: menos de 1 minuto.';
    return 'Tempo restante estimado: ' + aboutMinutes(left);
  }

  /** Before the first step: the whole quote's usual length, measured when the service knows it. */
  function totalText(typicalTotal) {
    if (!(typicalTotal > 0)) return 'Em geral o cálculo leva de 1 a 3 minutos.';
    if (typicalTotal < 60) return 'Em geral o cálculo leva menos de 1 minuto.';
    return 'Em geral o cálculo leva ' + aboutMinutes(typicalTotal);
  }

  /** "cerca de N minuto(s)." for a duration of a minute or more. */
  function aboutMinutes(seconds) {
    var minutes = Math.round(seconds / 60);
    return 'cerca de ' + minutes + (minutes === 1 ? ' minuto.' : ' minutos.');
  }

  /* ------------------------------------------------------------------ what the modal shows (pure) */

  /** How long the modal follows one quote before it hands the quote to a specialist. */
  var WATCH_LIMIT_MS = 20 * 60 * 1000;

  /** The error tipo of a quote the modal stopped following after WATCH_LIMIT_MS. */
  var BROWSER_TIMEOUT = 'tempo_esgotado_no_navegador';

  /**
   * The view model of one progress answer: what the progress part shows, what the live region
   * says, the estimate, and whether the watch ends. A pure function of `progress` (the API's
   * `progress` object) and `clock`: no DOM, no timer, no global.
   *
   * clock: {now, startedAt, step, stepSince, typicalSeconds}: the current time, when the watch
   * began and since when step `step` has been on screen (milliseconds since the epoch), and the
   * quote's typical length in seconds (the last `duracao_tipica_s` the service gave). A missing
   * clock reads as time zero.
   *
   * Returns {
   *   status, etapa (0–15), percent (integer 0–100), stepLabel, message,
   *   queue (text, or null), eta (text), notice (a line above the steps, or null for none),
   *   steps (15 × 'done' | 'current' | 'stopped' | 'todo'), spoken (for the live region, or null),
   *   estimate ({dados, note}, or null), end (null while polling goes on, 'success' or 'error'),
   *   erros (what explains an 'error' end, for outcomeOf), clock (to pass with the next answer)
   * }.
   */
  function progressView(progress, clock) {
    var p = progress || {};
    var c = clock || {};
    var now = Number(c.now) || 0;
    var status = String(p.status || '');
    var etapa = Math.max(0, Math.min(15, Math.floor(Number(p.etapa_atual) || 0)));
    var typical = Number(p.duracao_tipica_s) > 0 ? Number(p.duracao_tipica_s) : c.typicalSeconds;
    var next = {
      now: now,
      startedAt: Number(c.startedAt) || now,
      step: etapa,
      stepSince: etapa === c.step ? Number(c.stepSince) || 0 : now,
      typicalSeconds: typical,
    };
    var percent = status === 'success' ? 100 : Number(p.percentual) || (etapa / 15) * 100;
    var view = {
      status: status,
      etapa: etapa,
      percent: Math.max(0, Math.min(100, Math.round(percent))),
      stepLabel: stepLabel(status, etapa),
      message: p.mensagem ? String(p.mensagem) : '',
      queue: null,
      eta: '',
      notice: null,
      steps: stepStates(status, etapa),
      spoken: null,
      estimate: estimateView(p.estimativas, status),
      end: null,
      erros: [],
      clock: next,
    };
    if (status === 'waiting') {
      var pos = parseInt(p.posicao_fila, 10);
      view.queue = pos > 0 ? 'Você é o ' + ordinal(pos) + ' na fila.' : null;
      view.eta = TEXT.waitingFree;
      view.message = view.message || 'Aguardando a vez do seu cálculo.';
      view.spoken = pos > 0 ? 'Na fila: você é o ' + ordinal(pos) + '.' : 'Na fila.';
    } else if (status === 'running') {
      view.eta = remainingText(etapa, (now - next.stepSince) / 1000, (now - next.startedAt) / 1000, typical);
      if (etapa >= 1) view.spoken = 'Etapa ' + etapa + ' de 15: ' + STEPS[etapa - 1] + '.';
    }
    if (status === 'success') {
      view.end = 'success';
    } else if (status === 'error') {
      view.end = 'error';
      view.erros = Array.isArray(p.erros) ? p.erros : [];
    } else if (now - next.startedAt > WATCH_LIMIT_MS) {
      view.end = 'error';
      view.erros = [{ tipo: BROWSER_TIMEOUT }];
    }
    return view;
  }

  /** The line above the bar: the step the robot is on, or where the quote stands before and after. */
  function stepLabel(status, etapa) {
    if (status === 'success') return 'Cálculo concluído';
    if (etapa >= 1) return 'Etapa ' + etapa + ' de 15: ' + STEPS[etapa - 1];
    if (status === 'waiting') return 'Na fila';
    return 'Preparando';
  }

  /** Each of the 15 steps as 'done', 'current', 'stopped' (where an error ended it) or 'todo'. */
  function stepStates(status, etapa) {
    return STEPS.map(function (name, i) {
      var n = i + 1;
      if (status === 'success' || n < etapa) return 'done';
      if (n === etapa) return status === 'error' ? 'stopped' : 'current';
      return 'todo';
    });
  }

  /** The captured estimate and the note under it, which says what comes next; null before capture. */
  function estimateView(estimativas, status) {
    var est = estimativas || {};
    if (!est.capturadas || !est.dados) return null;
    var note = status === 'success' ? TEXT.estimateNoteFinal
      : status === 'error' ? TEXT.estimateNoteSpecialist : TEXT.estimateNote;
    return { dados: est.dados, note: note };
  }

  /** Picks the entry that explains the failure: the last one with a tipo. */
  function mainError(erros) {
    var list = Array.isArray(erros) ? erros : [];
    for (var i = list.length - 1; i >= 0; i--) if (list[i] && list[i].tipo) return list[i];
    return list[list.length - 1] || {};
  }

  /**
   * The outcome of a quote that ended in error, from its `erros` and `formFields`, the API fields
   * the quote form can show an error next to (fieldsOnForm). Pure: no DOM, no timer, no global.
   *
   * Returns {kind ('manual' | 'rejected' | 'error': the dialog's state, the block's kind and what
   * the session records), title, heading, text, spoken (for the live region), campo and fix (the
   * field to correct and its button's label; null unless rejected), event and tipo (the GTM event
   * and its rpa_tipo, null for none)}. A portal refusal of a field the form does not have is
   * handed to a specialist like any other error.
   */
  function outcomeOf(erros, formFields) {
    var err = mainError(erros);
    var tipo = String(err.tipo || '');
    var fields = Array.isArray(formFields) ? formFields : [];
    if (tipo === 'cotacao_manual') {
      return outcome('manual', TEXT.titleManual, TEXT.specialistHeading, TEXT.manual, 'rpa_manual', null);
    }
    var campo = tipo.indexOf('rejeitado_') === 0 ? String(err.campo || tipo.slice('rejeitado_'.length)) : '';
    if (campo && fields.indexOf(campo) >= 0) {
      var label = fieldLabel(campo);
      var text = String(err.mensagem || TEXT.rejected);
      var refused = outcome('rejected', TEXT.titleRejected, 'Confira o campo ' + label, text, 'rpa_error', tipo);
      refused.spoken = refused.heading + '. ' + text;
      refused.campo = campo;
      refused.fix = 'Corrigir ' + label.toLowerCase();
      return refused;
    }
    var why = tipo === BROWSER_TIMEOUT ? TEXT.tooLong : TEXT.specialist;
    return outcome('error', TEXT.titleError, TEXT.specialistHeading, why, 'rpa_error', tipo || 'desconhecido');
  }

  function outcome(kind, title, heading, text, event, tipo) {
    return { kind: kind, title: title, heading: heading, text: text, spoken: text, campo: null, fix: null, event: event, tipo: tipo };
  }

  function ordinal(n) {
    return n + 'º';
  }

  /* ------------------------------------------------------------------ small DOM helpers */

  function h(tag, attrs, children) {
    var el = document.createElement(tag);
    for (var k in attrs || {}) {
      if (k === 'text') el.textContent = attrs[k];
      else if (k === 'class') el.className = attrs[k];
      else if (attrs[k] === true) el.setAttribute(k, '');
      else if (attrs[k] !== false && attrs[k] != null) el.setAttribute(k, attrs[k]);
    }
    (children || []).forEach(function (c) {
      if (c != null) el.appendChild(typeof c === 'string' ? document.createTextNode(c) : c);
    });
    return el;
  }

  function clear(el) {
    while (el.firstChild) el.removeChild(el.firstChild);
  }

  /* ------------------------------------------------------------------ the modal view */

  /** Builds and updates the dialog; knows nothing about HTTP. */
  function ModalView() {
    this.root = null;
    this.returnFocus = null;
    this.onClose = null;
    this.lastAnnounced = '';
    this.estimateKey = null; // the estimate values on screen, as JSON
    this.estimateNote = null;
  }

  ModalView.prototype.build = function () {
    if (this.root) return;
    var self = this;
    var steps = h('ol', { class: 'rpa-steps', 'aria-label': 'Etapas do cálculo' });
    STEPS.forEach(function (name, i) {
      steps.appendChild(
        h('li', { class: 'rpa-step', 'data-step': String(i + 1) }, [
          h('span', { class: 'rpa-step-mark', 'aria-hidden': 'true' }),
          h('span', { class: 'rpa-step-name', text: (i + 1) + '. ' + name }),
          h('span', { class: 'rpa-sr rpa-step-state' }),
        ])
      );
    });
    this.els = {
      title: h('h2', { id: 'rpa-title', class: 'rpa-title', tabindex: '-1', text: TEXT.titleRunning }),
      close: h('button', { type: 'button', class: 'rpa-close', 'aria-label': 'Fechar' }, [
        h('span', { 'aria-hidden': 'true', text: '×' }),
      ]),
      live: h('p', { id: 'rpa-live', class: 'rpa-sr', 'aria-live': 'polite', 'aria-atomic': 'true' }),
      bar: h('div', {
        class: 'rpa-bar',
        role: 'progressbar',
        'aria-label': 'Progresso do cálculo',
        'aria-valuemin': '0',
        'aria-valuemax': '100',
        'aria-valuenow': '0',
      }, [h('div', { class: 'rpa-bar-fill' })]),
      percent: h('span', { class: 'rpa-percent', text: '0%' }),
      stepLabel: h('span', { class: 'rpa-step-label' }),
      message: h('p', { class: 'rpa-message' }),
      queue: h('p', { class: 'rpa-queue', hidden: true }),
      eta: h('p', { class: 'rpa-eta' }),
      notice: h('div', { class: 'rpa-notice', hidden: true }),
      steps: steps,
      estimate: h('section', { class: 'rpa-estimate', hidden: true, 'aria-labelledby': 'rpa-estimate-title' }),
      plans: h('section', { class: 'rpa-plans', hidden: true, 'aria-labelledby': 'rpa-plans-title' }),
      outcome: h('section', { class: 'rpa-outcome', hidden: true }),
      actions: h('div', { class: 'rpa-actions' }),
    };
    var e = this.els;
    e.progress = h('section', { class: 'rpa-progress', 'aria-label': 'Andamento' }, [
      h('div', { class: 'rpa-progress-head' }, [e.stepLabel, e.percent]),
      e.bar,
      e.message,
      e.queue,
      e.eta,
      e.notice,
      e.steps,
    ]);
    this.dialog = h('div', {
      class: 'rpa-dialog',
      role: 'dialog',
      'aria-modal': 'true',
      'aria-labelledby': 'rpa-title',
      'aria-describedby': 'rpa-live',
    }, [
      h('header', { class: 'rpa-header' }, [
        h('div', { class: 'rpa-brand', 'aria-hidden': 'true', text: 'Imediato Seguros' }),
        e.title,
        e.close,
      ]),
      h('div', { class: 'rpa-body' }, [e.live, e.outcome, e.plans, e.progress, e.estimate]),
      e.actions,
    ]);
    this.root = h('div', { class: 'rpa-root rpa-overlay', hidden: true }, [this.dialog]);
    this.root.style.setProperty('--rpa-primary', config.primary);
    this.root.style.setProperty('--rpa-accent', config.accent);
    e.close.addEventListener('click', function () { self.requestClose(); });
    this.root.addEventListener('keydown', function (ev) { self.onKeydown(ev); });
    // A click on the backdrop keeps focus in the dialog (and does not close it by accident).
    this.root.addEventListener('mousedown', function (ev) {
      if (ev.target === self.root) ev.preventDefault();
    });
    document.body.appendChild(this.root);
  };

  ModalView.prototype.isOpen = function () {
    return !!this.root && !this.root.hidden;
  };

  ModalView.prototype.open = function () {
    this.build();
    if (this.isOpen()) return;
    this.returnFocus = document.activeElement;
    this.root.hidden = false;
    this.savedOverflow = document.documentElement.style.overflow;
    document.documentElement.style.overflow = 'hidden';
    this.els.title.focus();
  };

  /** Hides the dialog; `focusTarget` overrides where focus goes back to. */
  ModalView.prototype.hide = function (focusTarget) {
    if (!this.isOpen()) return;
    this.root.hidden = true;
    document.documentElement.style.overflow = this.savedOverflow || '';
    var target = focusTarget || this.returnFocus;
    if (target && typeof target.focus === 'function' && document.contains(target)) target.focus();
  };

  ModalView.prototype.requestClose = function () {
    if (this.onClose) this.onClose();
  };

  ModalView.prototype.focusables = function () {
    var list = this.dialog.querySelectorAll(
      'button:not([disabled]), a[href], input:not([disabled]), select:not([disabled]), ' +
      'textarea:not([disabled]), [tabindex]:not([tabindex="-1"])'
    );
    return Array.prototype.filter.call(list, function (el) {
      return el.offsetParent !== null || el.getClientRects().length > 0;
    });
  };

  ModalView.prototype.onKeydown = function (ev) {
    if (ev.key === 'Escape' || ev.key === 'Esc') {
      ev.preventDefault();
      ev.stopPropagation();
      this.requestClose();
      return;
    }
    if (ev.key !== 'Tab') return;
    var items = this.focusables();
    if (!items.length) {
      ev.preventDefault();
      this.els.title.focus();
      return;
    }
    var first = items[0];
    var last = items[items.length - 1];
    var active = document.activeElement;
    var inside = this.dialog.contains(active);
    if (ev.shiftKey && (active === first || active === this.els.title || !inside)) {
      ev.preventDefault();
      last.focus();
    } else if (!ev.shiftKey && (active === last || !inside)) {
      ev.preventDefault();
      first.focus();
    }
  };

  /** Says `text` through the live region, only when it changed. */
  ModalView.prototype.announce = function (text) {
    if (!text || text === this.lastAnnounced) return;
    this.lastAnnounced = text;
    this.els.live.textContent = text;
  };

  ModalView.prototype.setTitle = function (text) {
    this.els.title.textContent = text;
  };

  /** Footer buttons: [{label, primary, onClick, href}]. */
  ModalView.prototype.setActions = function (actions) {
    var box = this.els.actions;
    var hadFocus = box.contains(document.activeElement);
    clear(box);
    actions.forEach(function (a) {
      var el = a.href
        ? h('a', { class: 'rpa-btn' + (a.primary ? ' rpa-btn-primary' : ''), href: a.href, text: a.label })
        : h('button', { type: 'button', class: 'rpa-btn' + (a.primary ? ' rpa-btn-primary' : ''), text: a.label });
      if (a.name) el.setAttribute('data-action', a.name);
      if (a.onClick) el.addEventListener('click', a.onClick);
      box.appendChild(el);
    });
    if (hadFocus && box.firstChild) box.firstChild.focus();
  };

  /** Back to an empty progress view showing `message`. */
  ModalView.prototype.reset = function (message) {
    this.build();
    var e = this.els;
    this.setTitle(TEXT.titleRunning);
    this.lastAnnounced = '';
    e.live.textContent = '';
    e.progress.hidden = false;
    e.steps.hidden = false;
    e.estimate.hidden = true;
    e.plans.hidden = true;
    e.outcome.hidden = true;
    e.notice.hidden = true;
    clear(e.estimate);
    this.estimateKey = null;
    this.estimateNote = null;
    clear(e.plans);
    clear(e.outcome);
    this.renderProgress(progressView({ mensagem: message }, null));
    this.dialog.removeAttribute('data-state');
  };

  ModalView.prototype.setState = function (state) {
    this.dialog.setAttribute('data-state', state);
  };

  /** Progress part, from a progressView: percent, stepLabel, message, queue, eta and steps. */
  ModalView.prototype.renderProgress = function (p) {
    var e = this.els;
    e.percent.textContent = p.percent + '%';
    e.bar.setAttribute('aria-valuenow', String(p.percent));
    e.bar.firstChild.style.width = p.percent + '%';
    e.stepLabel.textContent = p.stepLabel;
    e.message.textContent = p.message;
    if (p.queue) {
      e.queue.hidden = false;
      e.queue.textContent = p.queue;
    } else {
      e.queue.hidden = true;
    }
    e.eta.textContent = p.eta;
    var items = e.steps.children;
    for (var i = 0; i < items.length; i++) {
      var state = p.steps[i];
      var li = items[i];
      li.className = 'rpa-step rpa-step-' + state;
      if (state === 'current') li.setAttribute('aria-current', 'step');
      else li.removeAttribute('aria-current');
      li.querySelector('.rpa-step-mark').textContent =
        state === 'done' ? '✔' : state === 'current' ? '●' : state === 'stopped' ? '✖' : '';
      li.querySelector('.rpa-step-state').textContent =
        state === 'done' ? ' — concluída' : state === 'current' ? ' — em andamento' :
        state === 'stopped' ? ' — interrompida' : ' — a fazer';
    }
  };

  ModalView.prototype.setNotice = function (text, action) {
    var n = this.els.notice;
    clear(n);
    if (!text) { n.hidden = true; return; }
    n.hidden = false;
    n.appendChild(h('span', { text: text }));
    if (action) {
      var b = h('button', { type: 'button', class: 'rpa-link-btn', text: action.label });
      b.addEventListener('click', action.onClick);
      n.appendChild(b);
    }
  };

  /**
   * The screen-5 estimate: three coverages with "De R$ … até R$ …"; `note` says what follows.
   * The block is built when its values change (once, unless a new robot attempt captures a
   * different estimate); on the other polls only the note's text is set.
   */
  ModalView.prototype.renderEstimate = function (estimate, note) {
    var list = (estimate && estimate.coberturas_detalhadas) || [];
    if (!list.length) return;
    var key = JSON.stringify(list);
    if (key !== this.estimateKey) {
      this.estimateKey = key;
      var box = this.els.estimate;
      clear(box);
      box.hidden = false;
      box.appendChild(h('h3', { id: 'rpa-estimate-title', class: 'rpa-section-title', text: 'Estimativa inicial' }));
      var grid = h('ul', { class: 'rpa-estimate-grid' });
      list.forEach(function (c) {
        var name = String(c.nome_cobertura || 'Cobertura');
        var v = c.valores || {};
        grid.appendChild(
          h('li', { class: 'rpa-coverage', 'data-cobertura': name }, [
            h('span', { class: 'rpa-coverage-name', text: 'Cobertura ' + name }),
            COVERAGE_HINTS[name] ? h('span', { class: 'rpa-coverage-hint', text: COVERAGE_HINTS[name] }) : null,
            h('span', { class: 'rpa-coverage-range' }, [
              'De ', h('strong', { 'data-valor': 'de', text: String(v.de || '—') }),
              ' até ', h('strong', { 'data-valor': 'ate', text: String(v.ate || '—') }),
            ]),
          ])
        );
      });
      box.appendChild(grid);
      this.estimateNote = box.appendChild(h('p', { class: 'rpa-small rpa-estimate-note' }));
    }
    this.estimateNote.textContent = note || TEXT.estimateNote;
  };

  var PLAN_ROWS = [
    ['forma_pagamento', 'Forma de pagamento'],
    ['parcelamento', 'Parcelamento'],
    ['valor_mercado', 'Valor de mercado'],
    ['valor_franquia', 'Franquia'],
    ['tipo_franquia', 'Tipo de franquia'],
    ['assistencia', 'Assistência 24h'],
    ['vidros', 'Vidros'],
    ['carro_reserva', 'Carro reserva'],
    ['danos_materiais', 'Danos materiais'],
    ['danos_corporais', 'Danos corporais'],
    ['danos_morais', 'Danos morais'],
    ['morte_invalidez', 'Morte e invalidez'],
  ];

  function planValue(key, value) {
    if (typeof value === 'boolean') {
      return h('dd', { 'data-campo': key, class: value ? 'rpa-yes' : 'rpa-no' }, [
        h('span', { 'aria-hidden': 'true', text: value ? '✔' : '✖' }),
        h('span', { class: 'rpa-sr', text: value ? 'Incluído' : 'Não incluído' }),
      ]);
    }
    var text = value == null || value === '' ? '—' : String(value);
    return h('dd', { 'data-campo': key, text: text });
  }

  function planCard(kind, title, plan) {
    var id = 'rpa-plan-' + kind;
    var dl = h('dl', { class: 'rpa-plan-rows' });
    PLAN_ROWS.forEach(function (row) {
      dl.appendChild(h('div', { class: 'rpa-plan-row' }, [h('dt', { text: row[1] }), planValue(row[0], plan[row[0]])]));
    });
    return h('article', { class: 'rpa-plan rpa-plan-' + kind, 'data-plano': kind, 'aria-labelledby': id }, [
      h('h4', { id: id, class: 'rpa-plan-title' }, [
        kind === 'recomendado' ? h('span', { class: 'rpa-star', 'aria-hidden': 'true', text: '★ ' }) : null,
        title,
      ]),
      h('p', { class: 'rpa-plan-price' }, [
        h('span', { class: 'rpa-plan-price-label', text: 'Prêmio' }),
        h('strong', { 'data-campo': 'valor', text: plan.valor == null ? '—' : String(plan.valor) }),
      ]),
      dl,
    ]);
  }

  /** The two final plans side by side (stacked on phones). */
  ModalView.prototype.renderPlans = function (dados) {
    var box = this.els.plans;
    clear(box);
    box.hidden = false;
    box.appendChild(h('h3', { id: 'rpa-plans-title', class: 'rpa-section-title', text: 'Planos calculados para você' }));
    var grid = h('div', { class: 'rpa-plans-grid' });
    if (dados.plano_recomendado) grid.appendChild(planCard('recomendado', 'Recomendado', dados.plano_recomendado));
    if (dados.plano_alternativo) grid.appendChild(planCard('alternativo', 'Alternativo', dados.plano_alternativo));
    box.appendChild(grid);
    box.appendChild(h('p', { class: 'rpa-small', text: TEXT.successNote }));
  };

  /** A calm outcome block: kind ∈ manual | received | rejected | error | start-failed. */
  ModalView.prototype.renderOutcome = function (kind, heading, text) {
    var box = this.els.outcome;
    clear(box);
    box.hidden = false;
    box.className = 'rpa-outcome rpa-outcome-' + kind;
    box.setAttribute('data-outcome', kind);
    box.appendChild(h('h3', { class: 'rpa-section-title', text: heading }));
    box.appendChild(h('p', { class: 'rpa-outcome-text', text: text }));
  };

  /** A smaller second paragraph under the outcome's text. */
  ModalView.prototype.addOutcomeNote = function (text) {
    this.els.outcome.appendChild(h('p', { class: 'rpa-small', text: text }));
  };

  /** Names the form field the outcome is about (`data-campo`, for the page and the tests). */
  ModalView.prototype.markOutcomeField = function (campo) {
    this.els.outcome.setAttribute('data-campo', campo);
  };

  ModalView.prototype.hideProgress = function () {
    this.els.progress.hidden = true;
  };

  ModalView.prototype.hideSteps = function () {
    this.els.steps.hidden = true;
  };

  /** Moves the focus to the action button `name`, if shown. */
  ModalView.prototype.focusAction = function (name) {
    var button = this.els.actions.querySelector('[data-action="' + name + '"]');
    if (button) button.focus();
  };

  /* ------------------------------------------------------------------ polling */

  /**
   * Polls one session every `pollMs` with one request in flight at most and exponential backoff
   * on network errors. stop() clears the timer and aborts the request in flight.
   */
  function Poller(sessionId, handlers) {
    this.sessionId = sessionId;
    this.handlers = handlers;
    this.timer = null;
    this.inFlight = false;
    this.stopped = false;
    this.failures = 0;
    this.ctrl = new AbortController();
  }

  Poller.prototype.schedule = function (ms) {
    if (this.stopped) return;
    clearTimeout(this.timer);
    var self = this;
    this.timer = setTimeout(function () { self.timer = null; self.tick(); }, ms);
  };

  Poller.prototype.start = function () { this.schedule(0); };

  Poller.prototype.pollNow = function () {
    if (!this.inFlight) this.schedule(0);
  };

  Poller.prototype.stop = function () {
    this.stopped = true;
    clearTimeout(this.timer);
    this.timer = null;
    this.ctrl.abort();
  };

  Poller.prototype.tick = function () {
    if (this.stopped || this.inFlight) return;
    this.inFlight = true;
    var self = this;
    api.progress(this.sessionId, this.ctrl.signal).then(
      function (res) {
        self.inFlight = false;
        if (self.stopped) return;
        if (res.status === 200 && res.data && res.data.progress) {
          self.failures = 0;
          var keepGoing = self.handlers.onProgress(res.data.progress);
          if (keepGoing) self.schedule(config.pollMs);
          else self.stop();
        } else if (res.status === 404) {
          self.stop();
          self.handlers.onLost();
        } else {
          self.fail();
        }
      },
      function () {
        self.inFlight = false;
        if (!self.stopped) self.fail();
      }
    );
  };

  Poller.prototype.fail = function () {
    this.failures += 1;
    var delay = Math.min(config.pollMs * Math.pow(2, this.failures), config.maxBackoffMs);
    this.handlers.onNetworkError(this.failures);
    this.schedule(delay);
  };

  /* ------------------------------------------------------------------ the flow */

  /** Drives one quote at a time: submit → start → poll → outcome. */
  function Controller() {
    this.view = new ModalView();
    this.phase = 'idle'; // idle | starting | start-failed | watching | final
    this.form = null;
    this.sessionId = null;
    this.poller = null;
    this.startCtrl = null;
    this.clock = null; // progressView's clock of the quote being watched
    var self = this;
    this.view.onClose = function () { self.close(); };
  }

  Controller.prototype.submitButton = function () {
    var form = this.form;
    return (form && form.querySelector(config.submitSelector)) || document.querySelector(config.submitSelector);
  };

  Controller.prototype.setButtonBusy = function (busy) {
    var b = this.submitButton();
    if (!b) return;
    var isInput = b.tagName === 'INPUT';
    if (busy) {
      if (!b.hasAttribute('data-rpa-label')) b.setAttribute('data-rpa-label', isInput ? b.value : b.textContent);
      var wait = b.getAttribute('data-wait') || 'Aguarde...';
      if (isInput) b.value = wait; else b.textContent = wait;
      b.setAttribute('aria-disabled', 'true');
      b.disabled = true;
    } else {
      var label = b.getAttribute('data-rpa-label');
      if (label != null) { if (isInput) b.value = label; else b.textContent = label; }
      b.removeAttribute('data-rpa-label');
      b.removeAttribute('aria-disabled');
      b.disabled = false;
    }
  };

  /** Entry point of the quote form's submission. */
  Controller.prototype.submit = function (form) {
    if (this.phase === 'starting') return; // a second click while the first is being sent
    if (this.phase === 'watching' && this.view.isOpen()) return;
    this.form = form;
    fieldErrors.clear(form);
    var payload = collectPayload(form);
    var fp = fingerprint(payload);
    var rec = store.load();
    if (rec && rec.fp === fp && rec.final !== 'error' && rec.final !== 'rejected') {
      this.resume(rec);
      return;
    }
    this.start(payload, fp);
  };

  Controller.prototype.start = function (payload, fp) {
    this.stopWatching();
    this.phase = 'starting';
    this.setButtonBusy(true);
    this.view.open();
    this.view.reset(TEXT.sending);
    this.view.setState('starting');
    this.view.announce(TEXT.sending);
    this.view.setActions([{ label: 'Cancelar', name: 'close', onClick: this.close.bind(this) }]);
    var ctrl = (this.startCtrl = new AbortController());
    var self = this;
    api.start(withResumeToken(payload), ctrl.signal).then(
      function (res) {
        if (ctrl.signal.aborted) return;
        self.startCtrl = null;
        self.onStartAnswer(res, payload, fp);
      },
      function () {
        if (ctrl.signal.aborted) return;
        self.startCtrl = null;
        self.startFailed(TEXT.network, payload, fp, 'rede');
      }
    );
  };

  Controller.prototype.onStartAnswer = function (res, payload, fp) {
    var data = res.data || {};
    if (res.status === 200 && data.success && data.session_id) {
      this.setButtonBusy(false);
      var previous = store.load();
      var token = data.token_retomada || (previous && previous.id === String(data.session_id) ? previous.token : null);
      var rec = { id: String(data.session_id), fp: fp, token: token || null, startedAt: Date.now(), final: null, dismissed: false, events: [] };
      store.save(rec);
      track('rpa_start', {});
      this.watch(rec, data.posicao_fila);
      return;
    }
    if (res.status === 422) {
      this.setButtonBusy(false);
      this.phase = 'idle';
      var erros = Array.isArray(data.erros) && data.erros.length
        ? data.erros
        : [{ campo: '', mensagem: data.error || 'Confira os dados informados.' }];
      this.view.hide(null);
      fieldErrors.showAll(this.form, erros, this.submitButton());
      track('rpa_error', { rpa_tipo: 'validacao' }, true);
      return;
    }
    if (res.status === 429) {
      return this.startFailed(waitText(TEXT.rateLimited, TEXT.rateLimitedLater, res.retryAfter), payload, fp, 'limite_de_tentativas');
    }
    if (res.status === 409) {
      return this.startFailed(TEXT.elsewhere, payload, fp, 'em_andamento');
    }
    if (res.status === 503 && data.dados_recebidos === true) {
      return this.leadReceived(payload, fp);
    }
    if (res.status === 503) {
      return this.startFailed(waitText(TEXT.busy, TEXT.busyLater, res.retryAfter), payload, fp, 'fila_cheia');
    }
    return this.startFailed(TEXT.startError, payload, fp, 'http_' + res.status);
  };

  /** "<reason> Tente novamente em cerca de N segundos." when the service said when, else `later`. */
  function waitText(reason, later, retryAfter) {
    var seconds = parseInt(retryAfter || '', 10);
    if (seconds > 0 && seconds <= 600) {
      return reason + ' Tente novamente em cerca de ' + seconds + (seconds === 1 ? ' segundo.' : ' segundos.');
    }
    return reason + ' ' + later;
  }

  /**
   * Replaces the progress with an outcome block: the dialog's title and state, the block (of the
   * same kind as the state) and what the live region says (`spoken`, by default the text).
   */
  Controller.prototype.showOutcome = function (state, title, heading, text, spoken) {
    var v = this.view;
    v.setTitle(title);
    v.setState(state);
    v.hideProgress();
    v.renderOutcome(state, heading, text);
    v.announce(spoken || text);
  };

  Controller.prototype.startFailed = function (text, payload, fp, tipo) {
    this.phase = 'start-failed';
    this.setButtonBusy(false);
    track('rpa_error', { rpa_tipo: tipo }, true);
    this.showOutcome('start-failed', TEXT.titleStartFailed, 'Não foi possível iniciar', text);
    var v = this.view;
    var self = this;
    v.setActions([
      { label: 'Tentar novamente', name: 'retry', primary: true, onClick: function () { self.start(payload, fp); } },
      { label: 'Fechar', name: 'close', onClick: this.close.bind(this) },
    ]);
    v.focusAction('retry');
  };

  /**
   * The queue was full but the service kept the visitor's data as a lead: say a specialist will
   * call, and still offer to try the automatic quote again later.
   */
  Controller.prototype.leadReceived = function (payload, fp) {
    this.phase = 'start-failed';
    this.setButtonBusy(false);
    track('rpa_error', { rpa_tipo: 'fila_cheia' }, true);
    this.showOutcome('received', TEXT.titleReceived, TEXT.receivedHeading, TEXT.received);
    var v = this.view;
    v.addOutcomeNote(TEXT.receivedRetry);
    var self = this;
    v.setActions([
      { label: 'Fechar', name: 'close', primary: true, onClick: this.close.bind(this) },
      { label: 'Tentar de novo', name: 'retry', onClick: function () { self.start(payload, fp); } },
    ]);
    v.focusAction('close');
  };

  /** Re-opens an existing session (same answers submitted again, or a page reload). */
  Controller.prototype.resume = function (rec) {
    store.update({ dismissed: false });
    this.view.open();
    this.view.reset(TEXT.resuming);
    this.watch(rec, null);
  };

  Controller.prototype.watch = function (rec, posicaoFila) {
    this.stopWatching();
    this.phase = 'watching';
    this.sessionId = rec.id;
    var now = Date.now();
    var typical = this.clock ? this.clock.typicalSeconds : null;
    this.clock = { now: now, startedAt: rec.startedAt || now, step: -1, stepSince: now, typicalSeconds: typical };
    this.estimateShown = false;
    var v = this.view;
    v.setState('watching');
    v.setActions([{ label: 'Fechar', name: 'close', onClick: this.close.bind(this) }]);
    if (posicaoFila) {
      this.onProgress({ status: 'waiting', etapa_atual: 0, percentual: 0, posicao_fila: posicaoFila, mensagem: '' });
    }
    var self = this;
    this.poller = new Poller(rec.id, {
      onProgress: function (p) { return self.onProgress(p); },
      onNetworkError: function (n) { self.onPollError(n); },
      onLost: function () { self.onLost(); },
    });
    this.poller.start();
  };

  Controller.prototype.stopWatching = function () {
    if (this.poller) this.poller.stop();
    this.poller = null;
    if (this.startCtrl) this.startCtrl.abort();
    this.startCtrl = null;
  };

  Controller.prototype.onPollError = function (failures) {
    if (failures < 2) return;
    var self = this;
    this.view.setNotice(TEXT.unstable, {
      label: 'Tentar agora',
      onClick: function () { if (self.poller) self.poller.pollNow(); },
    });
  };

  Controller.prototype.onLost = function () {
    this.phase = 'final';
    try { sessionStorage.removeItem(store.key); } catch (e) { /* ignore */ }
    this.showOutcome('lost', TEXT.titleStartFailed, 'Cálculo não encontrado', TEXT.lost);
    this.view.setActions([{ label: 'Fechar', name: 'close', onClick: this.close.bind(this) }]);
  };

  /** One progress answer. Returns true while polling must go on. */
  Controller.prototype.onProgress = function (p) {
    this.clock.now = Date.now();
    var model = progressView(p, this.clock);
    this.clock = model.clock;
    var v = this.view;
    v.setNotice(model.notice);
    v.announce(model.spoken);
    v.renderProgress(model);
    if (model.estimate) {
      v.renderEstimate(model.estimate.dados, model.estimate.note);
      if (!this.estimateShown) {
        this.estimateShown = true;
        track('rpa_estimate', {});
      }
    }
    if (model.end === 'success') return this.finishSuccess(p), false;
    if (model.end === 'error') return this.finishError(model.erros), false;
    return true;
  };

  Controller.prototype.finalActions = function (extra) {
    var actions = extra || [];
    if (config.successUrl) actions.push({ label: 'Concluir', name: 'done', primary: !extra || !extra.length, href: config.successUrl });
    actions.push({ label: 'Fechar', name: 'close', onClick: this.close.bind(this) });
    this.view.setActions(actions);
  };

  Controller.prototype.finishSuccess = function (p) {
    this.phase = 'final';
    store.update({ final: 'success' });
    var v = this.view;
    var dados = (p.resultados_finais && p.resultados_finais.dados) || {};
    v.setTitle(TEXT.titleSuccess);
    v.setState('success');
    v.hideSteps();
    if (dados.plano_recomendado || dados.plano_alternativo) {
      v.renderPlans(dados);
      v.announce('Cálculo concluído. Os planos Recomendado e Alternativo estão prontos.');
    } else {
      v.renderOutcome('error', 'Cálculo concluído', TEXT.specialist);
      v.announce(TEXT.specialist);
    }
    track('rpa_success', {});
    this.finalActions();
  };

  /** Shows how a quote that ended in error goes on, as outcomeOf decides it. */
  Controller.prototype.finishError = function (erros) {
    this.phase = 'final';
    var form = this.form || findQuoteForm();
    var o = outcomeOf(erros, form ? fieldsOnForm(form) : []);
    store.update({ final: o.kind });
    this.showOutcome(o.kind, o.title, o.heading, o.text, o.spoken);
    if (o.campo) this.view.markOutcomeField(o.campo);
    track(o.event, o.tipo ? { rpa_tipo: o.tipo } : {});
    if (!o.fix) return this.finalActions();
    var target = findField(form, o.campo);
    var self = this;
    this.finalActions([{
      label: o.fix,
      name: 'fix',
      primary: true,
      onClick: function () { self.fixField(target, o.campo, o.text); },
    }]);
  };

  Controller.prototype.fixField = function (target, campo, message) {
    this.close(target);
    var form = target.form || this.form;
    if (form) fieldErrors.show(form, campo, message);
    target.focus();
  };

  /** Closes the modal and stops every timer and request of this page's quote. */
  Controller.prototype.close = function (focusTarget) {
    this.stopWatching();
    if (this.phase === 'starting' || this.phase === 'start-failed') {
      this.phase = 'idle';
      this.setButtonBusy(false);
    } else if (this.phase === 'watching') {
      this.phase = 'idle';
    }
    store.update({ dismissed: true });
    this.view.hide(focusTarget && focusTarget.nodeType === 1 ? focusTarget : null);
  };

  /** Called once at load: a reload while a quote was on screen resumes the same session. */
  Controller.prototype.resumeAfterReload = function () {
    var rec = store.load();
    if (!rec || rec.dismissed) return;
    this.form = findQuoteForm();
    this.resume(rec);
  };

  /* ------------------------------------------------------------------ binding to the page */

  function findQuoteForm() {
    if (config.formSelector) {
      var f = document.querySelector(config.formSelector);
      if (f) return f.tagName === 'FORM' ? f : f.querySelector('form');
    }
    var b = document.querySelector(config.submitSelector);
    return b ? b.form || b.closest('form') : null;
  }

  function isQuoteForm(form) {
    if (!form || form.tagName !== 'FORM') return false;
    if (config.formSelector) return !!form.closest(config.formSelector);
    return !!form.querySelector(config.submitSelector);
  }

  var controller = new Controller();

  /**
   * The quote path takes over the click on the submit button (Enter in a field also arrives as a
   * click on it) and, as a fallback, the form's submit event — both in the capture phase, so they
   * run before Webflow's jQuery handlers. Only the quote form is touched; an invalid form is left
   * to the browser's own validation messages.
   */
  function onClickCapture(ev) {
    var button = ev.target && ev.target.closest ? ev.target.closest(config.submitSelector) : null;
    if (!button) return;
    var form = button.form || button.closest('form');
    if (!isQuoteForm(form)) return;
    if (!form.checkValidity()) return;
    ev.preventDefault();
    ev.stopImmediatePropagation();
    controller.submit(form);
  }

  function onSubmitCapture(ev) {
    var form = ev.target;
    if (!isQuoteForm(form)) return;
    ev.preventDefault();
    ev.stopImmediatePropagation();
    controller.submit(form);
  }

  /** Links rpa-modal.css, which lives next to this script (or where data-css says). */
  function linkStyles() {
    if (document.getElementById('rpa-modal-style')) return;
    var link = document.createElement('link');
    link.id = 'rpa-modal-style';
    link.rel = 'stylesheet';
    link.href = config.cssUrl;
    (document.head || document.documentElement).appendChild(link);
  }

  /* ------------------------------------------------------------------ start-up */

  function init() {
    linkStyles();
    controller.resumeAfterReload();
  }

  if (config.enabled) {
    window.addEventListener('click', onClickCapture, true);
    window.addEventListener('submit', onSubmitCapture, true);
    if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', init);
    else init();
  }

  /** A tiny read-only handle for support and tests; `helpers` are the pure functions, tested directly. */
  window.RpaModal = {
    version: '4.0.0',
    enabled: config.enabled,
    helpers: {
      steps: STEPS.slice(),
      planRows: PLAN_ROWS.map(function (row) { return row.slice(); }),
      remainingText: remainingText,
      totalText: totalText,
      waitText: waitText,
      collectPayload: collectPayload,
      fieldLabel: fieldLabel,
      fingerprint: fingerprint,
      mainError: mainError,
      progressView: progressView,
      outcomeOf: outcomeOf,
    },
    close: function () { controller.close(); },
    state: function () {
      return {
        phase: controller.phase,
        sessionId: controller.sessionId,
        polling: !!(controller.poller && !controller.poller.stopped),
        open: controller.view.isOpen(),
      };
    },
  };
})();
