/**
 * rpa-modal.js — the quote-progress modal of RPA V4 for the broker's Webflow quote form.
 *
 * Owns, for one page: taking over the quote form's submission (and nothing else on the page),
 * mapping the form's field names to the API's, starting one quote per click, showing the API's
 * field errors next to the fields, and a modal that follows the quote by polling the service:
 * the stage and step the robot is on, a progress bar weighted by how long each stage really
 * takes, the insurer's final calculation as a stage of its own (its usual length and the
 * portal's own countdown as the ceiling), the initial estimate (screen 5), the two final plans
 * side by side, and for every ending the next step with the broker (WhatsApp, phone, when the
 * broker calls). Closed mid-quote, it leaves a small pill on the page and keeps following the
 * quote at a slower pace. It keeps the quote session in sessionStorage (a reload resumes it) and
 * shares the resume token with the browser's other tabs (a second tab takes the quote over), and
 * pushes GTM events without personal data.
 *
 * What the modal shows is decided by pure functions (no DOM, no timer, no global), exported as
 * `RpaModal.helpers` and tested directly: `progressView` turns a progress answer into the view
 * model of the wait, `outcomeOf` a failed quote's errors into its outcome, `comparePlans` the
 * two plans into one comparable table, `contactActions` and `whatsappText` an ending into the
 * broker's buttons, `errorSummary` the API's field errors into the form's summary. The
 * controller only wires them to the view.
 *
 * One dependency-free file, no build step. Include it once:
 *
 *   <script src="https://rpa.example.com/static/rpa-modal.js"
 *           data-api-base="https://rpa.example.com"      (default: this script's origin)
 *           data-form="#wf-form-Cotacao"                  (default: the form of #submit_button_auto)
 *           data-submit-button="#submit_button_auto"
 *           data-success-url="https://www.segurosimediato.com.br/sucesso"   (optional)
 *           data-whatsapp="5511900000000"                 (the broker's WhatsApp; optional)
 *           data-phone="(11) 0000-0000"                   (the broker's phone; optional)
 *           data-callback-time="em até 2 horas úteis"     (when the broker calls back)
 *           data-color-primary="#003366" data-color-accent="#0099CC"
 *           data-css="…/rpa-modal.css"                    (default: next to this script)
 *           data-enabled="true" defer></script>
 *
 * Elements of the page marked `data-rpa-tempo-tipico` get the usual length of a quote as the
 * service measures it (the same words the modal uses), so the page and the modal agree.
 *
 * Everything the visitor reads is pt-BR; code and identifiers are English.
 */
(function () {
  'use strict';

  // A second copy of this script on the page must not bind a second set of handlers.
  if (window.RpaModal) return;

  /* ------------------------------------------------------------------ configuration */

  var DEFAULT_CALLBACK_TIME = 'em até 2 horas úteis';

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
      whatsapp: whatsappNumber(ds.whatsapp),
      phone: phoneOf(ds.phone),
      callbackTime: callbackTimeOf(ds.callbackTime),
      cssUrl: cssUrl,
      primary: safeColor(ds.colorPrimary, '#003366'),
      accent: safeColor(ds.colorAccent, '#0099CC'),
      enabled: ds.enabled !== 'false',
      pollMs: 2000,
      backgroundPollMs: 10000,
      tickMs: 1000,
      maxBackoffMs: 30000,
      startTimeoutMs: 20000,
      progressTimeoutMs: 10000,
    };
  }

  function safeColor(value, fallback) {
    return /^#[0-9a-fA-F]{3,8}$/.test(value || '') ? value : fallback;
  }

  /** "when the broker calls": a short phrase such as "em até 2 horas úteis". */
  function callbackTimeOf(value) {
    var text = String(value || '').replace(/\s+/g, ' ').trim();
    return text && text.length <= 80 ? text : DEFAULT_CALLBACK_TIME;
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

  /**
   * Typical seconds of each screen on the real portal when the service has measured nothing yet:
   * screens 1–5 lead to the estimate, 6–14 answer the questionnaire, 15 is the insurer's
   * calculation. The service's measured stage lengths replace these (see stepDurations).
   */
  var PROFILE_SECONDS = [4, 2, 1, 1, 8, 2, 5, 2, 5, 1, 1, 1, 2, 2, 55];
  var ESTIMATE_STEP = 5;
  var CALC_STEP = 15;
  /** Fewer measured quotes than this and the texts give a range, never a precise promise. */
  var PRECISE_SAMPLES = 5;
  /** "Quase pronto" only with less than this many seconds left. */
  var ALMOST_SECONDS = 15;
  /** The live region says the step or the remaining time at most this often. */
  var SPEAK_STEP_MS = 20000;
  var SPEAK_CALC_MS = 30000;

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
    titleNotFound: 'Não encontramos o seu veículo',
    titleError: 'Um especialista vai cuidar da sua cotação',
    titleStartFailed: 'Não foi possível iniciar o cálculo',
    specialistHeading: 'Cálculo com um especialista',
    sending: 'Enviando seus dados com segurança…',
    resuming: 'Retomando o acompanhamento do seu cálculo…',
    waitingFree: 'Seu cálculo começa assim que um robô de cálculo ficar livre.',
    retrying: 'O cálculo recomeça em instantes.',
    manual: 'Para o seu perfil, a seguradora pede um cálculo feito por uma pessoa.',
    specialist: 'Não conseguimos concluir o cálculo automático agora.',
    tooLong: 'O cálculo está demorando mais do que deveria.',
    notFound:
      'A seguradora não encontrou um veículo com esta placa. Confira se a placa está certa e envie de novo, ' +
      'ou fale com um corretor.',
    successNote:
      'Valores calculados agora no portal da seguradora, por ano. Escolha um plano e um corretor da ' +
      'Imediato Seguros conclui a contratação com você.',
    estimateNote:
      'Faixa inicial do portal da seguradora, por ano. O prêmio final depende do seu perfil ' +
      '(idade, CEP, uso do veículo) e vem no cálculo final.',
    estimateNoteFinal:
      'Esta foi a faixa inicial do portal da seguradora. O prêmio final, nos planos acima, depende do seu perfil.',
    estimateNoteSpecialist:
      'Esta foi a faixa inicial do portal da seguradora. O prêmio final depende do seu perfil; o especialista ' +
      'confirma os valores com você.',
    assumptionsAdjust: 'O corretor pode ajustar essas respostas com você.',
    network: 'Não conseguimos falar com o nosso servidor. Verifique sua conexão com a internet e tente novamente.',
    rateLimited: 'Recebemos muitas tentativas em pouco tempo.',
    rateLimitedLater: 'Aguarde um minuto e tente novamente.',
    busy: 'Nosso sistema de cálculo está com muita procura agora.',
    busyLater: 'Tente novamente em instantes.',
    titleReceived: 'Recebemos seus dados',
    receivedHeading: 'Um especialista vai entrar em contato',
    received:
      'Nosso sistema de cálculo está com muita procura agora, mas seus dados chegaram com segurança. ' +
      'Um especialista da Imediato Seguros vai calcular a sua cotação e ligar para você',
    receivedRetry: 'Se preferir, tente o cálculo automático de novo daqui a alguns minutos.',
    elsewhere:
      'Já existe um cálculo em andamento com estes dados, iniciado em outro aparelho ou navegador. ' +
      'Quando ele terminar, você pode calcular de novo aqui, ou fale agora com um corretor.',
    startError: 'Tivemos um problema ao iniciar o cálculo. Tente novamente em instantes.',
    unstable: 'Conexão instável. Tentando novamente…',
    lost: 'Não encontramos mais este cálculo. Envie o formulário de novo para recomeçar.',
    slowSteps: 'Está levando mais que o normal, mas seguimos calculando.',
    almost: 'Quase pronto: a seguradora está terminando o cálculo.',
    rejected: 'A seguradora não aceitou este dado. Corrija-o e envie de novo.',
    contactSuccess: 'Ficou com alguma dúvida? Um corretor da Imediato Seguros ajuda você a escolher.',
    contactWaiting: 'Não quer esperar? Fale agora com um corretor.',
    interestNoted: 'Recebemos o seu interesse: um corretor da Imediato Seguros vai ligar para você',
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

  /**
   * The start request with a resume token, if this tab or another tab of this browser has one
   * (a copy: the form's payload stays as it is). The service answers with the running quote only
   * to the token of that quote, so another quote's token is harmless.
   */
  function withResumeToken(payload) {
    var rec = store.load();
    var token = (rec && rec.token) || (shared.load() || {}).token;
    if (!token) return payload;
    var body = {};
    for (var k in payload) body[k] = payload[k];
    body.token_retomada = token;
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
    if (!form) return null;
    var names = ERROR_FIELD[apiField] || [apiField];
    for (var i = 0; i < names.length; i++) {
      var el = form.elements.namedItem(names[i]);
      if (el && typeof RadioNodeList !== 'undefined' && el instanceof RadioNodeList) el = el[0];
      if (el) return el;
    }
    return null;
  }

  /**
   * The API fields whose errors this form can show next to one of its fields, in the order
   * their fields appear on the page (the order a visitor reads and tabs through them).
   */
  function fieldsOnForm(form) {
    var fields = [];
    var push = function (f) { if (fields.indexOf(f) < 0) fields.push(f); };
    for (var i = 0; i < form.elements.length; i++) {
      var el = form.elements[i];
      var name = el.name;
      if (!name) continue;
      var known = false;
      for (var apiField in ERROR_FIELD) {
        if (ERROR_FIELD[apiField].indexOf(name) >= 0 && findField(form, apiField) === firstOfName(form, name)) {
          push(apiField);
          known = true;
        }
      }
      if (!known && !Object.prototype.hasOwnProperty.call(ERROR_FIELD, name)) push(name);
    }
    return fields;
  }

  function firstOfName(form, name) {
    var el = form.elements.namedItem(name);
    if (el && typeof RadioNodeList !== 'undefined' && el instanceof RadioNodeList) el = el[0];
    return el;
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

  /**
   * The summary of a 422's field errors, pure: `erros` ([{campo, mensagem}]) and `pageOrder`, the
   * API fields of the form in page order (fieldsOnForm). Returns {fields (the erroneous fields
   * the form has, in page order: the first gets the focus), text (names every field, those the
   * form lacks with their message)}.
   */
  function errorSummary(erros, pageOrder) {
    var order = Array.isArray(pageOrder) ? pageOrder : [];
    var onForm = [];
    var loose = [];
    (Array.isArray(erros) ? erros : []).forEach(function (e) {
      var campo = String((e && e.campo) || '');
      var msg = String((e && e.mensagem) || 'Valor inválido.');
      if (campo && order.indexOf(campo) >= 0) {
        if (onForm.indexOf(campo) < 0) onForm.push(campo);
      } else {
        loose.push((campo ? fieldLabel(campo) + ': ' : '') + msg);
      }
    });
    onForm.sort(function (a, b) { return order.indexOf(a) - order.indexOf(b); });
    var labels = onForm.map(fieldLabel);
    var text = '';
    if (labels.length === 1) text = 'Confira o campo ' + labels[0] + ' e envie de novo.';
    else if (labels.length > 1) text = 'Confira os campos ' + joinWords(labels) + ' e envie de novo.';
    else text = 'Confira os dados informados e envie de novo.';
    if (loose.length) text += ' ' + loose.join(' ');
    return { fields: onForm, text: text };
  }

  /** "a", "a e b", "a, b e c". */
  function joinWords(words) {
    if (words.length < 2) return words.join('');
    return words.slice(0, -1).join(', ') + ' e ' + words[words.length - 1];
  }

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
     * Shows the API's 422 erros[] next to the fields and, above the button, a summary that names
     * every field; focuses the first field with an error in page order, or the summary when no
     * error belongs to a field of the form.
     */
    showAll: function (form, erros, submitButton) {
      this.clear(form);
      var summary = errorSummary(erros, fieldsOnForm(form));
      for (var i = 0; i < erros.length; i++) {
        var e = erros[i] || {};
        this.show(form, String(e.campo || ''), String(e.mensagem || 'Valor inválido.'));
      }
      var alert = document.createElement('div');
      alert.className = 'rpa-form-alert';
      alert.setAttribute('role', 'alert');
      alert.textContent = summary.text;
      if (submitButton && submitButton.parentNode) submitButton.insertAdjacentElement('beforebegin', alert);
      else form.appendChild(alert);
      var first = summary.fields.length ? findField(form, summary.fields[0]) : null;
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
  function requestJson(method, url, body, outerSignal, timeoutMs, keepalive) {
    var ctrl = new AbortController();
    var onOuterAbort = function () { ctrl.abort(); };
    if (outerSignal) {
      if (outerSignal.aborted) ctrl.abort();
      else outerSignal.addEventListener('abort', onOuterAbort);
    }
    var timer = setTimeout(function () { ctrl.abort(); }, timeoutMs);
    var init = { method: method, signal: ctrl.signal, credentials: 'omit', cache: 'no-store', headers: {} };
    if (keepalive) init.keepalive = true;
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
    health: function () {
      return requestJson('GET', config.apiBase + '/api/rpa/health', undefined, null, config.progressTimeoutMs);
    },
    /** Records the plan the visitor chose; outlives the page (keepalive). */
    interest: function (body) {
      return requestJson('POST', config.apiBase + '/api/rpa/interesse', body, null, config.progressTimeoutMs, true);
    },
  };

  /* ------------------------------------------------------------------ session store */

  /**
   * A JSON record of a quote session under `key` in a Web Storage area (`area()` gives it: it
   * throws where the browser keeps no storage, and the record then reads as none).
   */
  function storedRecord(area, key) {
    return {
      key: key,
      load: function () {
        try {
          var rec = JSON.parse(area().getItem(key) || 'null');
          if (rec && /^[A-Za-z0-9_-]{1,100}$/.test(rec.id || '')) return rec;
        } catch (e) { /* storage unavailable or corrupt: behave as a new visit */ }
        return null;
      },
      save: function (rec) {
        try { area().setItem(key, JSON.stringify(rec)); } catch (e) { /* best effort */ }
      },
    };
  }

  /**
   * The current quote session of this tab: {id, fp, token, startedAt, final, dismissed, events}.
   * `token` is the service's token_retomada: with it a repeated submit of the same CPF and plate
   * gets this session back; without it the service does not say which session is running.
   */
  var store = storedRecord(function () { return sessionStorage; }, 'rpa-modal:session');

  store.update = function (patch) {
    var rec = this.load();
    if (!rec) return null;
    for (var k in patch) rec[k] = patch[k];
    this.save(rec);
    return rec;
  };

  /** This tab's name among the browser's tabs (kept across reloads of the tab). */
  var tabId = (function () {
    var key = 'rpa-modal:tab';
    try {
      var id = sessionStorage.getItem(key);
      if (!id) {
        id = Math.random().toString(36).slice(2, 10);
        sessionStorage.setItem(key, id);
      }
      return id;
    } catch (e) {
      return Math.random().toString(36).slice(2, 10);
    }
  })();

  /**
   * The browser's latest quote, shared by its tabs (localStorage): {id, token, startedAt, owner}.
   * A second tab that submits the same answers sends this token and takes the quote over; the
   * tab that followed it until then steps back to its pill. Holds no personal data.
   */
  var shared = storedRecord(function () { return localStorage; }, 'rpa-modal:shared');

  /** This tab follows quote `rec` now. */
  shared.claim = function (rec) {
    if (!rec || !rec.id) return;
    var old = this.load();
    var token = rec.token || (old && old.id === rec.id ? old.token : null);
    this.save({ id: rec.id, token: token || null, startedAt: rec.startedAt || null, owner: tabId, at: Date.now() });
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

  /* ------------------------------------------------------------------ durations in words (pure) */

  /** "25 segundos", "50 segundos", "1 minuto", "3 minutos": a duration as a person says it. */
  function durationWords(seconds) {
    var s = Math.max(0, Number(seconds) || 0);
    if (s < 55) {
      var r = s < 30 ? Math.max(5, Math.round(s / 5) * 5) : Math.round(s / 10) * 10;
      return r + ' segundos';
    }
    var m = Math.max(1, Math.round(s / 60));
    return m + (m === 1 ? ' minuto' : ' minutos');
  }

  /**
   * How long something usually takes, as the service measured it: "cerca de 1 minuto" when at
   * least PRECISE_SAMPLES quotes were measured, otherwise a range ("de 1 a 3 minutos", "de 25
   * segundos a 1 minuto", "menos de 1 minuto") that does not promise more than it knows.
   */
  function durationPhrase(seconds, samples) {
    var s = Math.max(0, Number(seconds) || 0);
    if (samples >= PRECISE_SAMPLES) return 'cerca de ' + durationWords(s);
    var lo = s * 0.6;
    var hi = s * 1.5;
    if (hi < 60) return 'menos de 1 minuto';
    var hiM = Math.max(1, Math.ceil(hi / 60));
    if (lo >= 55) {
      var loM = Math.max(1, Math.round(lo / 60));
      return 'de ' + loM + ' a ' + Math.max(hiM, loM + 1) + ' minutos';
    }
    return 'de ' + durationWords(lo) + ' a ' + hiM + (hiM === 1 ? ' minuto' : ' minutos');
  }

  /** A countdown as the portal shows it, in words: "2 min 43 s", "1 min", "58 s". */
  function clockText(seconds) {
    var s = Math.max(0, Math.ceil(Number(seconds) || 0));
    var m = Math.floor(s / 60);
    var r = s % 60;
    if (!m) return r + ' s';
    return r ? m + ' min ' + r + ' s' : m + ' min';
  }

  function positive(x) {
    var n = Number(x);
    return x != null && isFinite(n) && n > 0 ? n : 0;
  }

  function sumOf(list, from, to) {
    var total = 0;
    for (var i = from; i < to; i++) total += list[i];
    return total;
  }

  /**
   * The typical seconds of each of the 15 steps, from what the service measured:
   * `tempo` is `tempo_tipico` {estimativa_s (start → estimate), calculo_s (the insurer's final
   * calculation), total_s, amostras}; `typicalTotal` is the older `duracao_tipica_s` (the whole
   * quote only). Each stage's time is spread over its steps as the real portal's profile does.
   * Returns {steps (15 seconds), estimate, questions, calc, total, samples (null: unknown)}.
   */
  function stepDurations(tempo, typicalTotal) {
    var t = tempo || {};
    var p = PROFILE_SECONDS;
    var est0 = sumOf(p, 0, ESTIMATE_STEP);
    var ask0 = sumOf(p, ESTIMATE_STEP, CALC_STEP - 1);
    var calc0 = p[CALC_STEP - 1];
    var total0 = est0 + ask0 + calc0;
    var measured = positive(t.estimativa_s) || positive(t.calculo_s) || positive(t.total_s);
    var total = positive(t.total_s) || (measured ? 0 : positive(typicalTotal));
    var scale = total ? Math.min(Math.max(total / total0, 0.02), 10) : 1;
    var est = positive(t.estimativa_s) || est0 * scale;
    var calc = positive(t.calculo_s) || calc0 * scale;
    var ask = total ? Math.max(total - est - calc, ask0 * scale * 0.2) : ask0 * scale;
    var steps = p.map(function (secs, i) {
      if (i < ESTIMATE_STEP) return (secs / est0) * est;
      if (i < CALC_STEP - 1) return (secs / ask0) * ask;
      return calc;
    });
    var samples = measured && Number(t.amostras) >= 0 ? Math.floor(Number(t.amostras)) : null;
    return { steps: steps, estimate: est, questions: ask, calc: calc, total: est + ask + calc, samples: samples };
  }

  /**
   * Share of the insurer's calculation done after `elapsed` seconds, when it usually takes
   * `expected` and the portal's countdown says at most `ceiling`: linear to 90 % at the usual
   * end, then linear towards the ceiling, or without one ever slower, never past 98 % (only
   * the result completes it).
   */
  function calcFraction(elapsed, expected, ceiling) {
    if (!(expected > 0)) return 0;
    var t = Math.max(0, elapsed);
    if (t <= expected) return (0.9 * t) / expected;
    if (ceiling > expected) return Math.min(0.98, 0.9 + (0.08 * (t - expected)) / (ceiling - expected));
    return 0.9 + 0.08 * (1 - Math.exp(-(t - expected) / (3 * expected)));
  }

  /**
   * The time part of the wait, pure. `t`: {status, etapa, inStep (seconds on this step),
   * elapsed (seconds since the watch began), calcElapsed (seconds of the calculation),
   * ceilingLeft and ceilingTotal (the portal's countdown now and at its start, seconds; null
   * when unknown)}; `d`: stepDurations. Returns {percent (0–99 while running: the bar never
   * shows 100 before the result), eta (the remaining-time line), almost, overdue, calc (the
   * calculation stage {percent, expected}, or null before it)}.
   */
  function timeView(t, d) {
    var out = { percent: 0, eta: '', almost: false, overdue: false, calc: null };
    if (t.status === 'success') {
      out.percent = 100;
      return out;
    }
    if (t.status !== 'running') return out;
    if (t.etapa < 1) {
      out.eta = 'Em geral o cálculo leva ' + durationPhrase(d.total, d.samples) + '.';
      return out;
    }
    var done = sumOf(d.steps, 0, t.etapa - 1);
    if (t.etapa < CALC_STEP) {
      var w = d.steps[t.etapa - 1];
      done += w * Math.min(t.inStep / w, 0.9);
      var left = Math.max(w - t.inStep, 0) + sumOf(d.steps, t.etapa, CALC_STEP);
      out.overdue = t.elapsed > Math.max(d.total * 2, 30);
      out.eta = out.overdue ? TEXT.slowSteps : 'Tempo restante estimado: ' + durationPhrase(left, d.samples) + '.';
    } else {
      var ceiling = t.ceilingTotal > 0 ? t.ceilingTotal : 0;
      var cl = t.ceilingLeft == null ? null : Math.max(0, t.ceilingLeft);
      var expected = ceiling ? Math.min(d.calc, ceiling) : d.calc;
      var f = calcFraction(t.calcElapsed, expected, ceiling);
      done += d.calc * f;
      var typicalLeft = expected - t.calcElapsed;
      var precise = d.samples >= PRECISE_SAMPLES;
      out.almost = (cl != null && cl < ALMOST_SECONDS) || (precise && typicalLeft >= 0 && typicalLeft < ALMOST_SECONDS);
      out.overdue = !out.almost && typicalLeft < 0;
      var most = cl != null ? 'no máximo ' + clockText(cl) : '';
      if (out.almost) {
        out.eta = TEXT.almost;
      } else if (out.overdue) {
        out.eta = 'Está levando mais que o normal, mas a seguradora segue calculando' +
          (most ? ': ' + most.replace('no máximo', 'no máximo mais') : '') + '.';
      } else {
        var usual = cl != null ? Math.min(typicalLeft, cl) : typicalLeft;
        out.eta = 'Tempo restante estimado: ' + durationPhrase(usual, d.samples) + (most ? '; ' + most : '') + '.';
      }
      out.calc = {
        percent: Math.floor(100 * f),
        expected: 'Normalmente leva ' + durationPhrase(expected, d.samples) +
          (ceiling ? '; no máximo ' + clockText(ceiling) : '') + '.',
      };
    }
    out.percent = Math.min(99, Math.floor((100 * done) / d.total));
    return out;
  }

  /** The usual length of a whole quote, in the words both the page and the modal use. */
  function typicalPhrase(tempo, typicalTotal) {
    var d = stepDurations(tempo, typicalTotal);
    return durationPhrase(d.total, d.samples);
  }

  /* ------------------------------------------------------------------ what the modal shows (pure) */

  /** How long the modal follows one quote before it hands the quote to a specialist. */
  var WATCH_LIMIT_MS = 20 * 60 * 1000;

  /** The error tipo of a quote the modal stopped following after WATCH_LIMIT_MS. */
  var BROWSER_TIMEOUT = 'tempo_esgotado_no_navegador';

  /** `tempo_tipico` when it has at least one usable length, else null. */
  function tempoOf(value) {
    var t = value && typeof value === 'object' ? value : null;
    return t && (positive(t.estimativa_s) || positive(t.calculo_s) || positive(t.total_s)) ? t : null;
  }

  /**
   * The portal's countdown as the modal keeps it: {left, total, at} (seconds left and at start,
   * and when that reading arrived). A reading equal to the kept one keeps its time, so the
   * countdown goes on between readings; null when the answer has none.
   */
  function ceilingOf(calculo, kept, now) {
    var c = calculo && typeof calculo === 'object' ? calculo : null;
    if (!c || c.restante_s == null || !isFinite(Number(c.restante_s))) return null;
    var left = Math.max(0, Number(c.restante_s));
    var total = positive(c.total_s) || left;
    if (kept && kept.left === left && kept.total === total) return kept;
    return { left: left, total: total, at: now };
  }

  /**
   * The view model of one progress answer: what the wait shows, what the live region says, the
   * estimate, and whether the watch ends. A pure function of `progress` (the API's `progress`
   * object) and `clock`: no DOM, no timer, no global.
   *
   * clock: what the modal remembers between answers of one quote, as returned in `view.clock`:
   * {now, startedAt, step, stepSince, typicalSeconds, tempo, ceiling, percent, calcPercent, seen,
   * spoken}:
   * the current time, when the watch began and since when step `step` has been on screen
   * (milliseconds since the epoch; step 15's is when the calculation began), the last typical
   * lengths the service gave (`duracao_tipica_s`, `tempo_tipico`), the portal's countdown,
   * the highest percent shown (overall, and of the calculation's own bar), the highest step seen
   * and what the live region said when. A
   * missing clock reads as time zero.
   *
   * Returns {
   *   status, etapa (0–15), percent (integer: 0–99 until success, never lower than before),
   *   valuetext (the bar's aria-valuetext), stage (the stage's name), stepLabel ("Etapa 9 de 15:
   *   Dados pessoais"), message, queue (text, or null), eta (text), calc ({percent, expected},
   *   or null outside the calculation), almost, overdue, vehicle (text, or null), notice (null),
   *   steps (15 × 'done' | 'current' | 'stopped' | 'todo'), spoken (for the live region, or
   *   null), estimate ({dados, note}, or null), assumptions (text, or null), end (null while
   *   polling goes on, 'success' or 'error'), erros (what explains an 'error' end, for outcomeOf),
   *   clock (to pass with the next answer)
   * }.
   */
  function progressView(progress, clock) {
    var p = progress || {};
    var c = clock || {};
    var now = Number(c.now) || 0;
    var status = String(p.status || '');
    var etapa = Math.max(0, Math.min(15, Math.floor(Number(p.etapa_atual) || 0)));
    var typical = Number(p.duracao_tipica_s) > 0 ? Number(p.duracao_tipica_s) : c.typicalSeconds;
    var tempo = tempoOf(p.tempo_tipico) || c.tempo || null;
    var inCalc = status === 'running' && etapa === CALC_STEP;
    var next = {
      now: now,
      startedAt: Number(c.startedAt) || now,
      step: etapa,
      stepSince: etapa === c.step ? Number(c.stepSince) || 0 : now,
      typicalSeconds: typical,
      tempo: tempo,
      ceiling: inCalc ? ceilingOf(p.calculo, c.ceiling, now) : null,
      percent: Number(c.percent) || 0,
      calcPercent: inCalc ? Number(c.calcPercent) || 0 : 0,
      seen: Math.max(Number(c.seen) || 0, etapa),
      spoken: c.spoken || null,
    };
    var d = stepDurations(tempo, typical);
    var ceil = next.ceiling;
    var ceilingLeft = ceil ? ceil.left - (now - ceil.at) / 1000 : null;
    var time = timeView({
      status: status,
      etapa: etapa,
      inStep: (now - next.stepSince) / 1000,
      elapsed: (now - next.startedAt) / 1000,
      calcElapsed: inCalc ? Math.max((now - next.stepSince) / 1000, ceil ? ceil.total - ceilingLeft : 0) : 0,
      ceilingLeft: ceilingLeft,
      ceilingTotal: ceil ? ceil.total : null,
    }, d);
    var percent = status === 'success' ? 100 : Math.max(next.percent, time.percent);
    next.percent = percent;
    // The calculation's bar never goes back either, when the portal's countdown arrives and
    // changes what the stage is expected to last.
    if (time.calc) {
      next.calcPercent = Math.max(next.calcPercent, time.calc.percent);
      time.calc.percent = next.calcPercent;
    }
    var retrying = status === 'waiting' && next.seen > 0;
    var view = {
      status: status,
      etapa: etapa,
      percent: percent,
      valuetext: '',
      stage: stageName(status, etapa, retrying),
      stepLabel: stepLabel(status, etapa, retrying),
      // During the calculation its own block says how long it takes; the robot's words would repeat it.
      message: p.mensagem && !inCalc ? String(p.mensagem) : '',
      queue: null,
      eta: time.eta,
      calc: inCalc ? time.calc : null,
      almost: time.almost,
      overdue: time.overdue,
      vehicle: vehicleOf(p.veiculo),
      notice: null,
      steps: stepStates(status, etapa),
      spoken: null,
      estimate: estimateView(p.estimativas, status),
      assumptions: assumptionsText(p.premissas),
      end: null,
      erros: [],
      clock: next,
    };
    if (status === 'waiting') {
      var pos = parseInt(p.posicao_fila, 10);
      view.queue = pos > 0 ? 'Você é o ' + ordinal(pos) + ' na fila.' : null;
      view.eta = retrying ? TEXT.retrying : TEXT.waitingFree;
      view.message = view.message || 'Aguardando a vez do seu cálculo.';
    }
    view.valuetext = percent + ' % — ' + view.stage + (etapa >= 1 && status === 'running' ? '; ' + view.stepLabel : '');
    if (status === 'success') {
      view.end = 'success';
    } else if (status === 'error') {
      view.end = 'error';
      view.erros = Array.isArray(p.erros) ? p.erros : [];
    } else if (now - next.startedAt > WATCH_LIMIT_MS) {
      view.end = 'error';
      view.erros = [{ tipo: BROWSER_TIMEOUT }];
    }
    var said = speech(view, p, c.spoken, now);
    view.spoken = said.text;
    next.spoken = said.state;
    return view;
  }

  /**
   * What the live region says for this answer, and its memory: the queue position, the first
   * step, the vehicle, the estimate, the start of the calculation and "almost ready" once each,
   * as they happen;
   * the step with the remaining time at most every SPEAK_STEP_MS, and during the calculation
   * the remaining time at most every SPEAK_CALC_MS. Never every poll.
   */
  function speech(view, p, memory, now) {
    var m = memory || {};
    var state = { at: Number(m.at) || 0, said: (m.said || []).slice(), step: Number(m.step) || 0, text: m.text || '' };
    var say = function (key, text) {
      if (key) state.said.push(key);
      state.at = now;
      state.text = text;
      return { text: text, state: state };
    };
    if (view.end) return { text: null, state: state };
    var running = view.status === 'running';
    var events = [];
    if (view.status === 'waiting') {
      var pos = parseInt(p.posicao_fila, 10);
      events.push([view.clock.seen > 0 ? 'nova-tentativa' : 'fila:' + (pos > 0 ? pos : 0),
        view.clock.seen > 0 ? 'Tentando de novo. ' + TEXT.retrying : pos > 0 ? 'Na fila: você é o ' + ordinal(pos) + '.' : 'Na fila.']);
    }
    if (view.vehicle) events.push(['veiculo', 'Veículo encontrado: ' + view.vehicle + '.']);
    if (view.estimate) events.push(['estimativa', estimateSpoken(view.estimate.dados)]);
    if (running && view.calc) {
      events.push(['calculo', 'Etapa 15 de 15: cálculo final da seguradora. ' + view.calc.expected]);
    }
    if (running && view.almost) events.push(['quase', TEXT.almost]);
    for (var i = 0; i < events.length; i++) {
      if (state.said.indexOf(events[i][0]) < 0) {
        if (events[i][0] === 'calculo') state.step = CALC_STEP;
        return say(events[i][0], events[i][1]);
      }
    }
    if (running && view.etapa >= 1 && view.etapa < CALC_STEP && !state.step) {
      state.step = view.etapa; // the quote began: said at once
      return say(null, view.stepLabel + '. ' + view.eta);
    }
    if (running && view.etapa >= 1 && view.etapa < CALC_STEP && view.etapa !== state.step && now - state.at >= SPEAK_STEP_MS) {
      state.step = view.etapa;
      return say(null, view.stepLabel + '. ' + view.eta);
    }
    if (running && view.calc && view.eta !== state.text && now - state.at >= SPEAK_CALC_MS) {
      return say(null, view.eta);
    }
    return { text: null, state: state };
  }

  function estimateSpoken(dados) {
    var first = ((dados && dados.coberturas_detalhadas) || [])[0];
    if (!first || !first.valores) return 'A estimativa inicial chegou.';
    return 'A estimativa inicial chegou: ' + String(first.nome_cobertura || 'cobertura') + ' de ' +
      String(first.valores.de || '—') + ' a ' + String(first.valores.ate || '—') + ' por ano.';
  }

  /** The stage of the quote, above the bar. */
  function stageName(status, etapa, retrying) {
    if (status === 'success') return 'Cálculo concluído';
    if (status === 'error') return 'Cálculo interrompido';
    if (status === 'waiting') return retrying ? 'Tentando de novo' : 'Na fila';
    if (etapa < 1) return 'Preparando';
    if (etapa <= ESTIMATE_STEP) return 'Consultando o veículo na seguradora';
    if (etapa < CALC_STEP) return 'Respondendo o questionário da seguradora';
    return 'Cálculo final da seguradora';
  }

  /** The step the robot is on ("Etapa 9 de 15: Dados pessoais"): the steps' one-line summary. */
  function stepLabel(status, etapa, retrying) {
    if (status === 'success') return 'Cálculo concluído';
    if (etapa >= 1) return 'Etapa ' + etapa + ' de 15: ' + STEPS[etapa - 1];
    if (status === 'waiting') return retrying ? 'Tentando de novo' : 'Na fila';
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

  /** The captured estimate and the note under it, which says what it is; null before capture. */
  function estimateView(estimativas, status) {
    var est = estimativas || {};
    if (!est.capturadas || !est.dados) return null;
    var note = status === 'success' ? TEXT.estimateNoteFinal
      : status === 'error' ? TEXT.estimateNoteSpecialist : TEXT.estimateNote;
    return { dados: est.dados, note: note };
  }

  /** The vehicle the portal found for the plate ("ECOSPORT 2007/2007"), or null. */
  function vehicleOf(value) {
    var text = typeof value === 'string' ? value.replace(/\s+/g, ' ').trim() : '';
    return text && text.length <= 80 ? text : null;
  }

  /** "Consideramos: uso pessoal, garagem com portão eletrônico e …. O corretor pode ajustar…", or null. */
  function assumptionsText(premissas) {
    var list = (Array.isArray(premissas) ? premissas : [])
      .map(function (x) { return typeof x === 'string' ? x.replace(/\s+/g, ' ').trim() : ''; })
      .filter(Boolean);
    if (!list.length) return null;
    return 'Consideramos: ' + joinWords(list) + '. ' + TEXT.assumptionsAdjust;
  }

  /** Picks the entry that explains the failure: the last one with a tipo. */
  function mainError(erros) {
    var list = Array.isArray(erros) ? erros : [];
    for (var i = list.length - 1; i >= 0; i--) if (list[i] && list[i].tipo) return list[i];
    return list[list.length - 1] || {};
  }

  /**
   * Whether an error says the portal found no vehicle for the plate: a refusal of the plate (the
   * quote's `rejeitado_placa`, or a start answer's error on `placa`) whose words say "não
   * encontrada". The API refuses a malformed plate before any quote, so the portal's refusal of a
   * well-formed plate is a plate it does not know.
   */
  function plateNotFound(err) {
    var e = err || {};
    var aboutPlate = e.tipo === 'rejeitado_placa' || e.campo === 'placa';
    if (!aboutPlate) return false;
    if (e.tipo === 'rejeitado_placa' && !e.mensagem && !e.sugestao) return true;
    return /n[ãa]o (foi )?encontrad/i.test(String(e.mensagem || '') + ' ' + String(e.sugestao || ''));
  }

  /**
   * The outcome of a quote that ended in error, from its `erros`, `formFields` (the API fields the
   * quote form can show an error next to: fieldsOnForm) and `settings` ({callbackTime}: when the
   * broker calls back). Pure: no DOM, no timer, no global.
   *
   * Returns {kind ('manual' | 'rejected' | 'error': the dialog's state, the block's kind and what
   * the session records), reason (what the WhatsApp message says: 'manual', 'placa', 'erro'),
   * title, heading, text, spoken (for the live region), campo and fix (the field to correct and
   * its button's label; null unless rejected), event and tipo (the GTM event and its rpa_tipo,
   * null for none)}. A portal refusal of a field the form does not have is handed to a
   * specialist like any other error.
   */
  function outcomeOf(erros, formFields, settings) {
    var err = mainError(erros);
    var tipo = String(err.tipo || '');
    var fields = Array.isArray(formFields) ? formFields : [];
    var call = 'Um especialista da Imediato Seguros vai calcular e ligar para você ' +
      callbackTimeOf((settings || {}).callbackTime) + '.';
    if (tipo === 'cotacao_manual') {
      return outcome('manual', 'manual', TEXT.titleManual, TEXT.specialistHeading, TEXT.manual + ' ' + call, 'rpa_manual', null);
    }
    var campo = tipo.indexOf('rejeitado_') === 0 ? String(err.campo || tipo.slice('rejeitado_'.length)) : '';
    if (campo && fields.indexOf(campo) >= 0) {
      var label = fieldLabel(campo);
      var refused;
      if (campo === 'placa' && plateNotFound(err)) {
        refused = outcome('rejected', 'placa', TEXT.titleNotFound, 'Veículo não encontrado', TEXT.notFound, 'rpa_error', tipo);
        refused.fix = 'Corrigir a placa';
      } else {
        var text = String(err.mensagem || TEXT.rejected);
        refused = outcome('rejected', 'erro', TEXT.titleRejected, 'Confira o campo ' + label, text, 'rpa_error', tipo);
        refused.fix = 'Corrigir ' + label.toLowerCase();
      }
      refused.spoken = refused.heading + '. ' + refused.text;
      refused.campo = campo;
      return refused;
    }
    var why = (tipo === BROWSER_TIMEOUT ? TEXT.tooLong : TEXT.specialist) + ' ' + call;
    return outcome('error', 'erro', TEXT.titleError, TEXT.specialistHeading, why, 'rpa_error', tipo || 'desconhecido');
  }

  function outcome(kind, reason, title, heading, text, event, tipo) {
    return {
      kind: kind, reason: reason, title: title, heading: heading, text: text, spoken: text,
      campo: null, fix: null, event: event, tipo: tipo,
    };
  }

  /** The line on the page while the modal is closed: how the quote stands, and "ver". */
  function pillText(status) {
    if (status === 'success') return 'Sua cotação está pronta — ver';
    if (status === 'error') return 'Sua cotação terminou — ver';
    return 'Sua cotação continua — ver';
  }

  function ordinal(n) {
    return n + 'º';
  }

  /* ------------------------------------------------------------------ the broker's buttons (pure) */

  /** The WhatsApp number as wa.me wants it (country code and digits), or '' when it is not one. */
  function whatsappNumber(raw) {
    var digits = String(raw || '').replace(/\D/g, '');
    if (digits.length === 10 || digits.length === 11) return '55' + digits;
    if ((digits.length === 12 || digits.length === 13) && digits.indexOf('55') === 0) return digits;
    return '';
  }

  /** The broker's phone: {href (tel:…), label (as written in the tag)}, or null when it is not a phone. */
  function phoneOf(raw) {
    var label = String(raw || '').replace(/\s+/g, ' ').trim();
    var digits = label.replace(/\D/g, '');
    var href = null;
    if (/^0[3589]00\d{7}$/.test(digits)) href = 'tel:' + digits;
    else if (digits.length === 10 || digits.length === 11) href = 'tel:+55' + digits;
    else if (/^55\d{10,11}$/.test(digits)) href = 'tel:+' + digits;
    return href ? { href: href, label: label } : null;
  }

  /** The short code a visitor and the broker use for one quote: the session id's last 6 characters. */
  function quoteCode(sessionId) {
    var s = String(sessionId || '').replace(/[^A-Za-z0-9]/g, '');
    return s.slice(-6).toUpperCase();
  }

  /**
   * The WhatsApp message for an ending, pure. `reason`: 'plano' (a plan chosen), 'sucesso',
   * 'manual', 'placa' (vehicle not found), 'erro', 'inicio' (the quote did not start); `ctx`:
   * {code (quoteCode), plan (its name), premium (its price)}. Names the plan, its premium and the
   * quote's code, and nothing about the person: no CPF, name, e-mail, phone or plate.
   */
  function whatsappText(reason, ctx) {
    var c = ctx || {};
    var code = /^[A-Z0-9]{1,12}$/.test(c.code || '') ? c.code : '';
    var quote = code ? 'a cotação ' + code : 'uma cotação';
    switch (reason) {
      case 'plano':
        return 'Olá! Quero contratar o plano ' + String(c.plan || '') +
          (c.premium ? ' (' + normalSpaces(c.premium) + ' por ano)' : '') +
          (code ? ' da cotação ' + code : ' da minha cotação') + ' feita no site.';
      case 'sucesso':
        return 'Olá! Fiz ' + quote + ' no site e quero falar com um corretor.';
      case 'manual':
        return 'Olá! Fiz ' + quote + ' no site e a seguradora pediu um cálculo com um especialista. Podemos conversar?';
      case 'placa':
        return 'Olá! Tentei fazer ' + quote + ' no site, mas a placa não foi encontrada. Podemos conversar?';
      case 'inicio':
        return 'Olá! Quero fazer uma cotação de seguro auto.';
      default:
        return 'Olá! Fiz ' + quote + ' no site, mas ela não foi concluída. Podemos conversar?';
    }
  }

  function whatsappLink(number, text) {
    return number ? 'https://wa.me/' + number + '?text=' + encodeURIComponent(text) : null;
  }

  /**
   * The broker's buttons for an ending, pure: "Falar com um corretor" (WhatsApp) and the phone,
   * as far as the page configured them. `ctx`: {whatsapp (whatsappNumber), phone (phoneOf),
   * code, plan, premium}. Returns [{name, label, href, external}].
   */
  function contactActions(reason, ctx) {
    var c = ctx || {};
    var out = [];
    var wa = whatsappLink(c.whatsapp, whatsappText(reason, c));
    if (wa) out.push({ name: 'whatsapp', label: 'Falar com um corretor', href: wa, external: true });
    if (c.phone && c.phone.href) out.push({ name: 'phone', label: 'Ligar: ' + c.phone.label, href: c.phone.href, external: false });
    return out;
  }

  /* ------------------------------------------------------------------ the plans side by side (pure) */

  var MONEY_RE = /R\$\s*(\d{1,3}(?:\.\d{3})+|\d+),(\d{2})/;

  function normalSpaces(text) {
    return String(text).replace(/[\s\u00a0]+/g, ' ').trim();
  }

  /** Centavos of the first "R$ 1.234,56" in `text`, or null. */
  function centsOf(text) {
    var m = MONEY_RE.exec(String(text == null ? '' : text));
    return m ? parseInt(m[1].replace(/\./g, ''), 10) * 100 + parseInt(m[2], 10) : null;
  }

  /** "R$ 1.234,56" of an amount in centavos. */
  function moneyText(cents) {
    var c = Math.round(Math.abs(cents));
    var reais = String(Math.floor(c / 100)).replace(/\B(?=(\d{3})+(?!\d))/g, '.');
    var cent = String(c % 100);
    return 'R$ ' + reais + ',' + (cent.length < 2 ? '0' + cent : cent);
  }

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

  /** Rows that are coverages paid up to an amount: R$ 0,00 means the plan does not include it. */
  var COVERAGE_AMOUNTS = ['danos_materiais', 'danos_corporais', 'danos_morais', 'morte_invalidez'];

  var PLAN_TITLES = { recomendado: 'Recomendado', alternativo: 'Alternativo' };

  /** "Total em 12x: R$ 5.070,72" when a "12x de R$ 422,56" in `text` does not add up to the premium. */
  function installmentsNote(text, premiumCents) {
    var m = /(\d{1,2})\s*x\s*de\s*(R\$\s*[\d.]+,\d{2})/i.exec(String(text || ''));
    if (!m) return null;
    var n = parseInt(m[1], 10);
    var each = centsOf(m[2]);
    if (!(n > 1) || each == null) return null;
    var total = n * each;
    if (premiumCents != null && Math.abs(total - premiumCents) <= n) return null;
    return 'Total em ' + n + 'x: ' + moneyText(total);
  }

  /** One plan's cell of a row: {text, included (true | false | null: not a yes/no), note}. */
  function planCell(campo, value, premiumCents) {
    if (typeof value === 'boolean') return { text: value ? 'Incluído' : 'Não incluído', included: value, note: null };
    if (value == null || value === '') return { text: '—', included: null, note: null };
    var text = normalSpaces(value);
    if (COVERAGE_AMOUNTS.indexOf(campo) >= 0 && centsOf(text) === 0) {
      return { text: 'Não incluído', included: false, note: null };
    }
    var note = campo === 'forma_pagamento' || campo === 'parcelamento' ? installmentsNote(text, premiumCents) : null;
    return { text: text, included: null, note: note };
  }

  /**
   * The final plans as one comparable table, pure. `dados`: {plano_recomendado,
   * plano_alternativo} (either may be missing). Returns {plans: [{kind, title, price (text),
   * cents, perYear ("por ano"), diff (the price difference to the first plan, in words, or
   * null)}], rows: [{campo, rotulo, cells (one per plan: planCell), differs}]}.
   */
  function comparePlans(dados) {
    var d = dados || {};
    var plans = [];
    ['recomendado', 'alternativo'].forEach(function (kind) {
      var plan = d['plano_' + kind];
      if (!plan || typeof plan !== 'object') return;
      var price = plan.valor == null || plan.valor === '' ? '—' : normalSpaces(plan.valor);
      plans.push({ kind: kind, title: PLAN_TITLES[kind], price: price, cents: centsOf(price), perYear: 'por ano', diff: null, plan: plan });
    });
    if (plans.length === 2 && plans[0].cents != null && plans[1].cents != null && plans[0].cents !== plans[1].cents) {
      var delta = plans[1].cents - plans[0].cents;
      plans[1].diff = moneyText(delta) + (delta > 0 ? ' a mais' : ' a menos') + ' por ano que o ' + plans[0].title;
    }
    var rows = PLAN_ROWS.map(function (row) {
      var cells = plans.map(function (pl) { return planCell(row[0], pl.plan[row[0]], pl.cents); });
      var differs = cells.length === 2 && (cells[0].text !== cells[1].text || cells[0].note !== cells[1].note);
      return { campo: row[0], rotulo: row[1], cells: cells, differs: differs };
    });
    plans.forEach(function (pl) { delete pl.plan; });
    return { plans: plans, rows: rows };
  }

  /** Splits `text` into plain and money parts, so money can be kept on one line: [{text, money}]. */
  function moneyParts(text) {
    var out = [];
    var s = String(text == null ? '' : text);
    var re = new RegExp(MONEY_RE.source, 'g');
    var last = 0;
    var m;
    while ((m = re.exec(s))) {
      if (m.index > last) out.push({ text: s.slice(last, m.index), money: false });
      out.push({ text: m[0].replace(/\s+/g, '\u00a0'), money: true });
      last = m.index + m[0].length;
    }
    if (last < s.length) out.push({ text: s.slice(last), money: false });
    return out;
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

  /** `text` with each amount of money in a span that never breaks inside ("R$" stays with its number). */
  function withMoney(el, text) {
    clear(el);
    moneyParts(text).forEach(function (part) {
      el.appendChild(part.money ? h('span', { class: 'rpa-money', text: part.text }) : document.createTextNode(part.text));
    });
    return el;
  }

  /** A link or button of the broker's: {name, label, href, external, primary}. */
  function actionLink(a, extraClass) {
    var cls = 'rpa-btn' + (a.primary ? ' rpa-btn-primary' : '') + (a.name === 'whatsapp' ? ' rpa-btn-whatsapp' : '') +
      (extraClass ? ' ' + extraClass : '');
    var el = a.href
      ? h('a', { class: cls, href: a.href, target: a.external ? '_blank' : null, rel: a.external ? 'noopener' : null, text: a.label })
      : h('button', { type: 'button', class: cls, text: a.label });
    if (a.srSuffix) el.appendChild(h('span', { class: 'rpa-sr', text: a.srSuffix }));
    if (a.name) el.setAttribute('data-action', a.name);
    if (a.onClick) el.addEventListener('click', a.onClick);
    return el;
  }

  /** A progress bar at 0 %, named `label`. */
  function progressBar(cls, label) {
    return h('div', {
      class: cls, role: 'progressbar', 'aria-label': label,
      'aria-valuemin': '0', 'aria-valuemax': '100', 'aria-valuenow': '0', 'aria-valuetext': '0 %',
    }, [h('div', { class: 'rpa-bar-fill' })]);
  }

  /* ------------------------------------------------------------------ the modal view */

  /** Builds and updates the dialog and the page's pill; knows nothing about HTTP. */
  function ModalView() {
    this.root = null;
    this.pill = null;
    this.returnFocus = null;
    this.onClose = null;
    this.onReopen = null;
    this.lastAnnounced = '';
    this.estimateKey = null; // the estimate values on screen, as JSON
    this.estimateNote = null;
    this.stepsTouched = false; // the visitor opened or closed the steps himself
  }

  ModalView.prototype.build = function () {
    if (this.root) return;
    var self = this;
    var steps = h('ol', { id: 'rpa-steps', class: 'rpa-steps', 'aria-label': 'Etapas do cálculo' });
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
      close: h('button', { type: 'button', class: 'rpa-close', 'aria-label': 'Fechar janela da cotação' }, [
        h('span', { 'aria-hidden': 'true', text: '×' }),
      ]),
      live: h('p', { id: 'rpa-live', class: 'rpa-sr', 'aria-live': 'polite', 'aria-atomic': 'true' }),
      stage: h('span', { class: 'rpa-stage' }),
      percent: h('span', { class: 'rpa-percent', 'aria-hidden': 'true', text: '0%' }),
      bar: progressBar('rpa-bar', 'Progresso do cálculo'),
      message: h('p', { class: 'rpa-message' }),
      queue: h('p', { class: 'rpa-queue', hidden: true }),
      eta: h('p', { class: 'rpa-eta' }),
      calc: h('div', { class: 'rpa-calc', hidden: true }),
      calcBar: progressBar('rpa-bar rpa-calc-bar', 'Cálculo final da seguradora'),
      calcExpected: h('p', { class: 'rpa-calc-expected' }),
      vehicle: h('p', { class: 'rpa-vehicle', hidden: true }),
      notice: h('div', { class: 'rpa-notice', hidden: true }),
      stepsToggle: h('button', {
        type: 'button', class: 'rpa-steps-toggle', 'aria-expanded': 'true', 'aria-controls': 'rpa-steps',
      }, [h('span', { class: 'rpa-step-label' }), h('span', { class: 'rpa-chevron', 'aria-hidden': 'true' })]),
      steps: steps,
      estimate: h('section', { class: 'rpa-estimate', hidden: true, 'aria-labelledby': 'rpa-estimate-title' }),
      assumptions: h('p', { class: 'rpa-assumptions', hidden: true }),
      plans: h('section', { class: 'rpa-plans', hidden: true, 'aria-labelledby': 'rpa-plans-title' }),
      outcome: h('section', { class: 'rpa-outcome', hidden: true }),
      contact: h('section', { class: 'rpa-contact', hidden: true, 'aria-label': 'Falar com um corretor' }),
      actions: h('div', { class: 'rpa-actions' }),
    };
    var e = this.els;
    e.calc.appendChild(h('p', { class: 'rpa-calc-title', text: 'Cálculo final da seguradora' }));
    e.calc.appendChild(e.calcBar);
    e.calc.appendChild(e.calcExpected);
    e.progress = h('section', { class: 'rpa-progress', 'aria-label': 'Andamento' }, [
      h('div', { class: 'rpa-progress-head' }, [e.stage, e.percent]),
      e.bar,
      e.queue,
      e.eta,
      e.calc,
      e.vehicle,
      e.message,
      e.notice,
    ]);
    e.stepsBox = h('section', { class: 'rpa-steps-box', 'aria-label': 'Etapas' }, [e.stepsToggle, e.steps]);
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
      h('div', { class: 'rpa-body' }, [
        e.live, e.outcome, e.plans, e.assumptions, e.contact, e.progress, e.estimate, e.stepsBox,
      ]),
      e.actions,
    ]);
    this.root = h('div', { class: 'rpa-root rpa-overlay', hidden: true }, [this.dialog]);
    this.root.style.setProperty('--rpa-primary', config.primary);
    this.root.style.setProperty('--rpa-accent', config.accent);
    e.close.addEventListener('click', function () { self.requestClose(); });
    e.stepsToggle.addEventListener('click', function () {
      self.stepsTouched = true;
      self.setStepsOpen(e.stepsToggle.getAttribute('aria-expanded') !== 'true');
    });
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
    this.hidePill();
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

  /** The small "Sua cotação continua — ver" button on the page while the modal is closed. */
  ModalView.prototype.showPill = function (text) {
    var self = this;
    if (!this.pill) {
      var button = h('button', { type: 'button', class: 'rpa-pill-btn' }, [
        h('span', { class: 'rpa-pill-dot', 'aria-hidden': 'true' }),
        h('span', { class: 'rpa-pill-text' }),
      ]);
      button.addEventListener('click', function () { if (self.onReopen) self.onReopen(); });
      this.pill = h('div', { class: 'rpa-root rpa-pill', role: 'status' }, [button]);
      this.pill.style.setProperty('--rpa-primary', config.primary);
      this.pill.style.setProperty('--rpa-accent', config.accent);
      document.body.appendChild(this.pill);
    }
    this.pill.hidden = false;
    this.pill.querySelector('.rpa-pill-text').textContent = text;
  };

  ModalView.prototype.hidePill = function () {
    if (this.pill) this.pill.hidden = true;
  };

  ModalView.prototype.pillShown = function () {
    return !!this.pill && !this.pill.hidden;
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

  /** Footer buttons: [{label, name, primary, onClick, href}]. */
  ModalView.prototype.setActions = function (actions) {
    var box = this.els.actions;
    var hadFocus = box.contains(document.activeElement);
    clear(box);
    actions.forEach(function (a) { box.appendChild(actionLink(a)); });
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
    e.stepsBox.hidden = false;
    e.estimate.hidden = true;
    e.assumptions.hidden = true;
    e.plans.hidden = true;
    e.outcome.hidden = true;
    e.contact.hidden = true;
    e.notice.hidden = true;
    clear(e.estimate);
    this.estimateKey = null;
    this.estimateNote = null;
    this.stepsTouched = false;
    this.setStepsOpen(true);
    clear(e.plans);
    clear(e.outcome);
    clear(e.contact);
    this.renderProgress(progressView({ mensagem: message }, null));
    this.dialog.removeAttribute('data-state');
  };

  ModalView.prototype.setState = function (state) {
    this.dialog.setAttribute('data-state', state);
  };

  /** Opens or collapses the list of steps into its one-line summary. */
  ModalView.prototype.setStepsOpen = function (open) {
    this.els.stepsToggle.setAttribute('aria-expanded', open ? 'true' : 'false');
    this.els.stepsBox.setAttribute('data-open', open ? 'true' : 'false');
  };

  /**
   * On a phone, once the estimate is on screen the steps collapse into their one-line summary
   * (unless the visitor opened or closed them himself).
   */
  ModalView.prototype.collapseStepsOnPhone = function () {
    if (this.stepsTouched) return;
    var narrow = window.matchMedia && window.matchMedia('(max-width: 640px)').matches;
    if (narrow) this.setStepsOpen(false);
  };

  function setBar(bar, percent, valuetext) {
    bar.setAttribute('aria-valuenow', String(percent));
    if (valuetext) bar.setAttribute('aria-valuetext', valuetext);
    bar.firstChild.style.width = percent + '%';
  }

  /** The wait, from a progressView: stage, bar, queue, remaining time, calculation, vehicle and steps. */
  ModalView.prototype.renderProgress = function (p) {
    var e = this.els;
    e.stage.textContent = p.stage;
    e.percent.textContent = p.percent + '%';
    setBar(e.bar, p.percent, p.valuetext);
    e.stepsToggle.firstChild.textContent = p.stepLabel;
    e.message.textContent = p.message;
    e.message.hidden = !p.message;
    e.queue.hidden = !p.queue;
    e.queue.textContent = p.queue || '';
    e.eta.textContent = p.eta;
    e.eta.hidden = !p.eta;
    e.calc.hidden = !p.calc;
    if (p.calc) {
      setBar(e.calcBar, p.calc.percent, p.eta);
      e.calcExpected.textContent = p.calc.expected;
      e.calc.setAttribute('data-overdue', p.overdue ? 'true' : 'false');
    }
    e.progress.setAttribute('data-almost', p.almost ? 'true' : 'false');
    e.vehicle.hidden = !p.vehicle;
    e.vehicle.textContent = p.vehicle ? 'Veículo encontrado: ' + p.vehicle : '';
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
   * The screen-5 estimate: three coverages with "De R$ … até R$ …"; `note` says what it is.
   * The block is built when its values change (once, unless a new robot attempt captures a
   * different estimate); on the other polls only the note's text is set. Returns true when it
   * appeared just now.
   */
  ModalView.prototype.renderEstimate = function (estimate, note) {
    var list = (estimate && estimate.coberturas_detalhadas) || [];
    if (!list.length) return false;
    var key = JSON.stringify(list);
    var appeared = this.estimateKey === null;
    if (key !== this.estimateKey) {
      this.estimateKey = key;
      var box = this.els.estimate;
      clear(box);
      box.hidden = false;
      box.appendChild(h('h3', { id: 'rpa-estimate-title', class: 'rpa-section-title', text: 'Estimativa inicial (por ano)' }));
      var grid = h('ul', { class: 'rpa-estimate-grid' });
      list.forEach(function (c) {
        var name = String(c.nome_cobertura || 'Cobertura');
        var v = c.valores || {};
        grid.appendChild(
          h('li', { class: 'rpa-coverage', 'data-cobertura': name }, [
            h('span', { class: 'rpa-coverage-name', text: 'Cobertura ' + name }),
            COVERAGE_HINTS[name] ? h('span', { class: 'rpa-coverage-hint', text: COVERAGE_HINTS[name] }) : null,
            h('span', { class: 'rpa-coverage-range' }, [
              'De ', withMoney(h('strong', { 'data-valor': 'de' }), String(v.de || '—')),
              ' até ', withMoney(h('strong', { 'data-valor': 'ate' }), String(v.ate || '—')),
            ]),
          ])
        );
      });
      box.appendChild(grid);
      this.estimateNote = box.appendChild(h('p', { class: 'rpa-small rpa-estimate-note' }));
    }
    this.estimateNote.textContent = note || TEXT.estimateNote;
    return appeared;
  };

  ModalView.prototype.renderAssumptions = function (text) {
    this.els.assumptions.hidden = !text;
    this.els.assumptions.textContent = text || '';
  };

  /** One row of the plans' table: a row header and one cell per plan, all the same grid. */
  function compareRow(cls, header, cells, attrs) {
    var row = h('div', { role: 'row', class: 'rpa-crow ' + cls }, [header].concat(cells));
    for (var k in attrs || {}) if (attrs[k] != null) row.setAttribute(k, attrs[k]);
    return row;
  }

  /**
   * The final plans as one table whose rows line up across the plans at every width: the
   * titles, the yearly premium and its difference, "Quero contratar este plano", then each row
   * of the contract with the rows that differ marked. `cmp` is comparePlans; `hire(kind)` gives
   * the plan's hire action ({href, external, onClick, label}).
   */
  ModalView.prototype.renderPlans = function (cmp, hire) {
    var box = this.els.plans;
    clear(box);
    box.hidden = false;
    box.appendChild(h('h3', { id: 'rpa-plans-title', class: 'rpa-section-title', text: 'Planos calculados para você' }));
    box.appendChild(h('p', { class: 'rpa-small rpa-plans-note', text: TEXT.successNote }));
    var n = cmp.plans.length;
    var table = h('div', { class: 'rpa-compare', role: 'table', 'aria-labelledby': 'rpa-plans-title', 'data-planos': String(n) });
    var head = h('div', { role: 'rowgroup', class: 'rpa-compare-head' });
    head.appendChild(compareRow('rpa-crow-titles', h('span', { role: 'columnheader', class: 'rpa-clabel rpa-clabel-empty' }, [
      h('span', { class: 'rpa-sr', text: 'Item' }),
    ]), cmp.plans.map(function (pl) {
      return h('span', { role: 'columnheader', class: 'rpa-ccell rpa-plan-title rpa-plan-' + pl.kind, id: 'rpa-plan-' + pl.kind, 'data-plano': pl.kind }, [
        pl.kind === 'recomendado' ? h('span', { class: 'rpa-star', 'aria-hidden': 'true', text: '★ ' }) : null,
        pl.title,
      ]);
    })));
    head.appendChild(compareRow('rpa-crow-price', h('span', { role: 'rowheader', class: 'rpa-clabel', text: 'Prêmio' }), cmp.plans.map(function (pl) {
      return h('span', { role: 'cell', class: 'rpa-ccell rpa-price-cell rpa-plan rpa-plan-' + pl.kind, 'data-plano': pl.kind }, [
        withMoney(h('strong', { class: 'rpa-price', 'data-campo': 'valor', 'data-plano': pl.kind }), pl.price),
        h('span', { class: 'rpa-per-year', text: ' ' + pl.perYear }),
        pl.diff ? withMoney(h('span', { class: 'rpa-price-diff', 'data-diferenca': '' }), pl.diff) : null,
      ]);
    })));
    head.appendChild(compareRow('rpa-crow-hire', h('span', { role: 'rowheader', class: 'rpa-clabel' }, [
      h('span', { class: 'rpa-sr', text: 'Contratar' }),
    ]), cmp.plans.map(function (pl) {
      var a = hire(pl.kind);
      a.srSuffix = ': plano ' + pl.title;
      return h('span', { role: 'cell', class: 'rpa-ccell rpa-hire-cell', 'data-plano': pl.kind }, [actionLink(a, 'rpa-hire')]);
    })));
    table.appendChild(head);
    var body = h('div', { role: 'rowgroup', class: 'rpa-compare-body' });
    cmp.rows.forEach(function (row) {
      var header = h('span', { role: 'rowheader', class: 'rpa-clabel' }, [
        h('span', { class: 'rpa-clabel-text', text: row.rotulo }),
        row.differs ? h('span', { class: 'rpa-diff-badge', text: 'diferente' }) : null,
      ]);
      body.appendChild(compareRow(row.differs ? 'rpa-crow-differs' : '', header, row.cells.map(function (cell, i) {
        var kind = cmp.plans[i].kind;
        var cls = 'rpa-ccell' + (cell.included === true ? ' rpa-yes' : cell.included === false ? ' rpa-no' : '');
        return h('span', { role: 'cell', class: cls, 'data-plano': kind, 'data-campo': row.campo }, [
          cell.included != null ? h('span', { class: 'rpa-mark', 'aria-hidden': 'true', text: cell.included ? '✔ ' : '✖ ' }) : null,
          withMoney(h('span', { class: 'rpa-cell-value' }), cell.text),
          cell.note ? withMoney(h('span', { class: 'rpa-cell-note' }), cell.note) : null,
        ]);
      }), { 'data-linha': row.campo, 'data-diferente': row.differs ? 'true' : null }));
    });
    table.appendChild(body);
    box.appendChild(table);
  };

  /** A calm outcome block: kind ∈ manual | received | rejected | error | start-failed | lost. */
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

  /** The broker's buttons under an ending, with the quote's code; hidden when there are none. */
  ModalView.prototype.renderContact = function (text, actions, code) {
    var box = this.els.contact;
    clear(box);
    box.hidden = !actions.length && !code;
    if (box.hidden) return;
    if (actions.length) {
      box.appendChild(h('p', { class: 'rpa-contact-text', text: text }));
      var row = h('div', { class: 'rpa-contact-actions' });
      actions.forEach(function (a) { row.appendChild(actionLink(a)); });
      box.appendChild(row);
    }
    if (code) {
      box.appendChild(h('p', { class: 'rpa-small rpa-quote-code' }, ['Código da cotação: ', h('strong', { text: code })]));
    }
  };

  /** Says, under the plans, that the choice reached the broker (when there is no WhatsApp or phone to open). */
  ModalView.prototype.confirmInterest = function (text) {
    var box = this.els.contact;
    box.hidden = false;
    var old = box.querySelector('.rpa-interest-noted');
    if (old) old.remove();
    box.insertBefore(h('p', { class: 'rpa-contact-text rpa-interest-noted', role: 'status', text: text }), box.firstChild);
  };

  ModalView.prototype.hideProgress = function () {
    this.els.progress.hidden = true;
    this.els.stepsBox.hidden = true;
  };

  /** Moves the focus to the action button `name`, if shown. */
  ModalView.prototype.focusAction = function (name) {
    var button = this.dialog.querySelector('[data-action="' + name + '"]');
    if (button) button.focus();
  };

  /* ------------------------------------------------------------------ polling */

  /**
   * Polls one session with one request in flight at most, every `handlers.delay()` ms (fast
   * while the modal is open, slower behind the pill) and with exponential backoff on network
   * errors. stop() clears the timer and aborts the request in flight.
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
          if (keepGoing) self.schedule(self.handlers.delay());
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
    var delay = Math.min(this.handlers.delay() * Math.pow(2, this.failures), config.maxBackoffMs);
    this.handlers.onNetworkError(this.failures);
    this.schedule(delay);
  };

  /* ------------------------------------------------------------------ the flow */

  /** Drives one quote at a time: submit → start → poll → outcome, and the pill while closed. */
  function Controller() {
    this.view = new ModalView();
    this.phase = 'idle'; // idle | starting | start-failed | watching | final
    this.form = null;
    this.sessionId = null;
    this.poller = null;
    this.ticker = null;
    this.startCtrl = null;
    this.clock = null; // progressView's clock of the quote being watched
    this.lastProgress = null; // the last progress answer, re-drawn every second
    this.healthTempo = null; // tempo_tipico from the health answer, until the quote's own arrives
    var self = this;
    this.view.onClose = function () { self.close(); };
    this.view.onReopen = function () { self.reopen(); };
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
    this.view.hidePill();
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
      var id = String(data.session_id);
      var previous = store.load();
      var other = shared.load();
      var token = data.token_retomada ||
        (previous && previous.id === id ? previous.token : null) ||
        (other && other.id === id ? other.token : null);
      var startedAt = (previous && previous.id === id && previous.startedAt) ||
        (other && other.id === id && other.startedAt) || Date.now();
      var rec = { id: id, fp: fp, token: token || null, startedAt: startedAt, final: null, dismissed: false, events: [] };
      store.save(rec);
      shared.claim(rec);
      track('rpa_start', {});
      this.watch(rec, data.posicao_fila, false);
      return;
    }
    if (res.status === 422) {
      var erros = Array.isArray(data.erros) && data.erros.length
        ? data.erros
        : [{ campo: '', mensagem: data.error || 'Confira os dados informados.' }];
      var plate = erros.every(plateNotFound);
      if (plate && findField(this.form, 'placa')) return this.vehicleNotFound(erros[0]);
      this.setButtonBusy(false);
      this.phase = 'idle';
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

  /** The broker's contact for an ending (`reason`: see whatsappText), with this quote's code. */
  Controller.prototype.contactContext = function (extra) {
    var ctx = { whatsapp: config.whatsapp, phone: config.phone, code: this.sessionId ? quoteCode(this.sessionId) : '' };
    for (var k in extra || {}) ctx[k] = extra[k];
    return ctx;
  };

  Controller.prototype.showContact = function (reason, text) {
    var ctx = this.contactContext();
    this.view.renderContact(text, contactActions(reason, ctx), ctx.code);
  };

  Controller.prototype.startFailed = function (text, payload, fp, tipo) {
    this.phase = 'start-failed';
    this.setButtonBusy(false);
    track('rpa_error', { rpa_tipo: tipo }, true);
    this.showOutcome('start-failed', TEXT.titleStartFailed, 'Não foi possível iniciar', text);
    this.sessionId = null;
    this.showContact('inicio', TEXT.contactWaiting);
    var v = this.view;
    var self = this;
    v.setActions([
      { label: 'Tentar novamente', name: 'retry', primary: true, onClick: function () { self.start(payload, fp); } },
      { label: 'Fechar', name: 'close', onClick: this.close.bind(this) },
    ]);
    v.focusAction('retry');
  };

  /**
   * The queue was full but the service kept the visitor's data as a lead: say when a specialist
   * will call, and still offer to try the automatic quote again later.
   */
  Controller.prototype.leadReceived = function (payload, fp) {
    this.phase = 'start-failed';
    this.setButtonBusy(false);
    track('rpa_error', { rpa_tipo: 'fila_cheia' }, true);
    this.showOutcome('received', TEXT.titleReceived, TEXT.receivedHeading, TEXT.received + ' ' + config.callbackTime + '.');
    var v = this.view;
    v.addOutcomeNote(TEXT.receivedRetry);
    this.sessionId = null;
    this.showContact('inicio', TEXT.contactWaiting);
    var self = this;
    v.setActions([
      { label: 'Fechar', name: 'close', primary: true, onClick: this.close.bind(this) },
      { label: 'Tentar de novo', name: 'retry', onClick: function () { self.start(payload, fp); } },
    ]);
    v.focusAction('close');
  };

  /** A start answer that says the portal knows no vehicle with this plate. */
  Controller.prototype.vehicleNotFound = function (err) {
    this.setButtonBusy(false);
    this.sessionId = null;
    this.endWith(outcomeOf([{ tipo: 'rejeitado_placa', campo: 'placa', mensagem: err.mensagem }], ['placa'], config), null, false);
  };

  /** Re-opens an existing session (same answers submitted again, or a page reload). */
  Controller.prototype.resume = function (rec) {
    store.update({ dismissed: false });
    shared.claim(rec);
    this.view.open();
    this.view.reset(TEXT.resuming);
    this.watch(rec, null, false);
  };

  /** Follows session `rec`: in the modal, or behind the pill when `background`. */
  Controller.prototype.watch = function (rec, posicaoFila, background) {
    this.stopWatching();
    this.phase = 'watching';
    this.sessionId = rec.id;
    var now = Date.now();
    var typical = this.clock ? this.clock.typicalSeconds : null;
    this.clock = { now: now, startedAt: rec.startedAt || now, step: -1, stepSince: now, typicalSeconds: typical, tempo: this.healthTempo };
    this.lastProgress = null;
    this.estimateShown = false;
    var v = this.view;
    v.build();
    v.setState('watching');
    v.setActions([{ label: 'Fechar', name: 'close', onClick: this.close.bind(this) }]);
    if (background) v.showPill(pillText('running'));
    if (posicaoFila) {
      this.onProgress({ status: 'waiting', etapa_atual: 0, percentual: 0, posicao_fila: posicaoFila, mensagem: '' });
    }
    var self = this;
    this.poller = new Poller(rec.id, {
      onProgress: function (p) { return self.onProgress(p); },
      onNetworkError: function (n) { self.onPollError(n); },
      onLost: function () { self.onLost(); },
      delay: function () { return self.view.isOpen() ? config.pollMs : config.backgroundPollMs; },
    });
    this.poller.start();
    this.ticker = setInterval(function () { self.redraw(); }, config.tickMs);
  };

  Controller.prototype.stopWatching = function () {
    if (this.poller) this.poller.stop();
    this.poller = null;
    this.stopTicker();
    if (this.startCtrl) this.startCtrl.abort();
    this.startCtrl = null;
  };

  Controller.prototype.stopTicker = function () {
    if (this.ticker) clearInterval(this.ticker);
    this.ticker = null;
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
    this.stopTicker();
    try { sessionStorage.removeItem(store.key); } catch (e) { /* ignore */ }
    this.showOutcome('lost', TEXT.titleStartFailed, 'Cálculo não encontrado', TEXT.lost);
    this.view.setActions([{ label: 'Fechar', name: 'close', onClick: this.close.bind(this) }]);
    if (this.view.pillShown()) this.view.hidePill();
  };

  /** Draws a view model of the wait. */
  Controller.prototype.render = function (model) {
    var v = this.view;
    this.clock = model.clock;
    v.setNotice(model.notice);
    v.announce(model.spoken);
    v.renderProgress(model);
    if (model.estimate && v.renderEstimate(model.estimate.dados, model.estimate.note)) v.collapseStepsOnPhone();
  };

  /** Every second between answers: the same answer at a later time (the countdown and the bars move). */
  Controller.prototype.redraw = function () {
    if (this.phase !== 'watching' || !this.lastProgress || this.lastProgress.status !== 'running') return;
    if (!this.view.isOpen()) return;
    this.clock.now = Date.now();
    this.render(progressView(this.lastProgress, this.clock));
  };

  /** One progress answer. Returns true while polling must go on. */
  Controller.prototype.onProgress = function (p) {
    this.clock.now = Date.now();
    var model = progressView(p, this.clock);
    this.lastProgress = p;
    this.render(model);
    if (model.estimate && !this.estimateShown) {
      this.estimateShown = true;
      track('rpa_estimate', {});
    }
    if (model.end === 'success') return this.finishSuccess(p, model), false;
    if (model.end === 'error') return this.finishError(model.erros, model), false;
    return true;
  };

  Controller.prototype.finalActions = function (extra) {
    var actions = extra || [];
    if (config.successUrl) actions.push({ label: 'Concluir', name: 'done', primary: !extra || !extra.length, href: config.successUrl });
    actions.push({ label: 'Fechar', name: 'close', onClick: this.close.bind(this) });
    this.view.setActions(actions);
  };

  /** The end of the watch: no more timers; the pill, if shown, says how it ended. */
  Controller.prototype.ended = function (status) {
    this.phase = 'final';
    this.stopTicker();
    if (this.view.pillShown()) this.view.showPill(pillText(status));
  };

  Controller.prototype.finishSuccess = function (p, model) {
    this.ended('success');
    store.update({ final: 'success' });
    var v = this.view;
    var dados = (p.resultados_finais && p.resultados_finais.dados) || {};
    v.setTitle(TEXT.titleSuccess);
    v.setState('success');
    v.hideProgress();
    if (dados.plano_recomendado || dados.plano_alternativo) {
      var cmp = comparePlans(dados);
      var self = this;
      v.renderPlans(cmp, function (kind) { return self.hireAction(cmp, kind); });
      v.renderAssumptions(model.assumptions);
      this.showContact('sucesso', TEXT.contactSuccess);
      v.announce('Cálculo concluído. Os planos ' + joinWords(cmp.plans.map(function (pl) { return pl.title; })) + ' estão prontos.');
    } else {
      v.renderOutcome('error', 'Cálculo concluído', TEXT.specialist + ' Um especialista da Imediato Seguros vai ligar para você ' + config.callbackTime + '.');
      this.showContact('erro', TEXT.contactWaiting);
      v.announce(TEXT.specialist);
    }
    track('rpa_success', {});
    this.finalActions();
  };

  /**
   * "Quero contratar este plano": opens WhatsApp (or the phone) with the plan, its premium and the
   * quote's code, and records the choice with the service on the way, without waiting for it
   * and without a word to the visitor if it fails.
   */
  Controller.prototype.hireAction = function (cmp, kind) {
    var plan = cmp.plans.filter(function (pl) { return pl.kind === kind; })[0] || {};
    var ctx = this.contactContext({ plan: plan.title, premium: plan.price });
    var link = contactActions('plano', ctx)[0];
    var self = this;
    var record = function () { self.recordInterest(kind); };
    if (link) return { name: 'contratar-' + kind, label: 'Quero contratar este plano', href: link.href, external: link.external, primary: true, onClick: record };
    return {
      name: 'contratar-' + kind,
      label: 'Quero contratar este plano',
      primary: true,
      onClick: function () {
        record();
        self.view.confirmInterest(TEXT.interestNoted + ' ' + config.callbackTime + '.');
      },
    };
  };

  Controller.prototype.recordInterest = function (kind) {
    if (!this.sessionId) return;
    var rec = store.load();
    var other = shared.load();
    var token = (rec && rec.id === this.sessionId && rec.token) || (other && other.id === this.sessionId && other.token) || null;
    track('rpa_interesse', { rpa_plano: kind }, true);
    try {
      api.interest({ session_id: this.sessionId, token_retomada: token, plano: kind }).catch(function () { /* silent */ });
    } catch (e) { /* silent: the visitor is already on the way to the broker */ }
  };

  /** Shows how a quote that ended in error goes on, as outcomeOf decides it. */
  Controller.prototype.finishError = function (erros, model) {
    this.ended('error');
    var form = this.form || findQuoteForm();
    this.endWith(outcomeOf(erros, form ? fieldsOnForm(form) : [], config), model, true);
  };

  /** Shows outcome `o` (outcomeOf); `recorded`: the ending belongs to this tab's stored session. */
  Controller.prototype.endWith = function (o, model, recorded) {
    this.phase = 'final';
    var form = this.form || findQuoteForm();
    if (recorded) store.update({ final: o.kind });
    this.showOutcome(o.kind, o.title, o.heading, o.text, o.spoken);
    if (o.campo) this.view.markOutcomeField(o.campo);
    if (o.kind === 'manual' && model) this.view.renderAssumptions(model.assumptions);
    this.showContact(o.reason, o.kind === 'rejected' ? 'Prefere falar com uma pessoa? Um corretor ajuda você.' : TEXT.contactWaiting);
    track(o.event, o.tipo ? { rpa_tipo: o.tipo } : {});
    if (!o.fix) return this.finalActions();
    var target = findField(form, o.campo);
    var self = this;
    this.finalActions([{
      label: o.fix,
      name: 'fix',
      primary: true,
      onClick: function () { self.fixField(target, o.campo, o.kind === 'rejected' && o.reason === 'placa' ? o.heading + '. ' + o.text : o.text); },
    }]);
  };

  Controller.prototype.fixField = function (target, campo, message) {
    this.close(target);
    var form = target.form || this.form;
    if (form) fieldErrors.show(form, campo, message);
    target.focus();
  };

  /**
   * Closes the modal. Mid-quote the quote goes on: a pill stays on the page and the page keeps
   * following the quote at a slower pace. Otherwise every timer and request stops.
   */
  Controller.prototype.close = function (focusTarget) {
    if (this.phase === 'watching') {
      store.update({ dismissed: true });
      this.view.hide(focusTarget && focusTarget.nodeType === 1 ? focusTarget : null);
      this.view.showPill(pillText('running'));
      return;
    }
    this.stopWatching();
    if (this.phase === 'starting' || this.phase === 'start-failed') {
      this.phase = 'idle';
      this.setButtonBusy(false);
    }
    store.update({ dismissed: true });
    this.view.hidePill();
    this.view.hide(focusTarget && focusTarget.nodeType === 1 ? focusTarget : null);
  };

  /** The pill was pressed: the modal again, at the quick pace, and this tab follows the quote. */
  Controller.prototype.reopen = function () {
    var rec = store.load();
    if (rec) {
      store.update({ dismissed: false });
      shared.claim(rec);
    }
    this.view.hidePill();
    this.view.open();
    if (this.phase === 'watching') {
      this.redraw();
      if (this.poller) this.poller.pollNow();
    }
  };

  /** Another tab of this browser took this quote over: this one steps back to its pill. */
  Controller.prototype.onSharedChange = function (rec) {
    if (!rec || rec.id !== this.sessionId || rec.owner === tabId) return;
    if (this.phase === 'watching' && this.view.isOpen()) this.close();
  };

  /** Called once at load: a reload while a quote was on screen resumes the same session. */
  Controller.prototype.resumeAfterReload = function () {
    var rec = store.load();
    if (!rec) return;
    this.form = findQuoteForm();
    if (!rec.dismissed) return this.resume(rec);
    if (!rec.final) this.watch(rec, null, true);
  };

  /**
   * The usual length of a quote from the service's health answer (`tempo_tipico`), written into
   * the page's `[data-rpa-tempo-tipico]` elements and kept for the modal's first texts, so the
   * page and the modal say the same thing.
   */
  Controller.prototype.learnTypicalTime = function () {
    var marks = document.querySelectorAll('[data-rpa-tempo-tipico]');
    var write = function (tempo) {
      var text = typicalPhrase(tempo, null);
      for (var i = 0; i < marks.length; i++) marks[i].textContent = text;
    };
    if (marks.length) write(null);
    var self = this;
    api.health().then(function (res) {
      var tempo = tempoOf(res.data && res.data.tempo_tipico);
      if (!tempo) return;
      self.healthTempo = tempo;
      if (self.clock && !self.clock.tempo) self.clock.tempo = tempo;
      if (marks.length) write(tempo);
    }, function () { /* the page keeps the words of the profile */ });
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

  function onStorage(ev) {
    if (ev.key !== shared.key) return;
    controller.onSharedChange(shared.load());
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
    controller.learnTypicalTime();
    controller.resumeAfterReload();
  }

  if (config.enabled) {
    window.addEventListener('click', onClickCapture, true);
    window.addEventListener('submit', onSubmitCapture, true);
    window.addEventListener('storage', onStorage);
    if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', init);
    else init();
  }

  /** A tiny read-only handle for support and tests; `helpers` are the pure functions, tested directly. */
  window.RpaModal = {
    version: '4.1.0',
    enabled: config.enabled,
    helpers: {
      steps: STEPS.slice(),
      planRows: PLAN_ROWS.map(function (row) { return row.slice(); }),
      durationPhrase: durationPhrase,
      clockText: clockText,
      stepDurations: stepDurations,
      timeView: timeView,
      typicalPhrase: typicalPhrase,
      waitText: waitText,
      collectPayload: collectPayload,
      fieldLabel: fieldLabel,
      fingerprint: fingerprint,
      errorSummary: errorSummary,
      mainError: mainError,
      plateNotFound: plateNotFound,
      progressView: progressView,
      outcomeOf: outcomeOf,
      pillText: pillText,
      quoteCode: quoteCode,
      whatsappNumber: whatsappNumber,
      phoneOf: phoneOf,
      whatsappText: whatsappText,
      contactActions: contactActions,
      centsOf: centsOf,
      moneyText: moneyText,
      moneyParts: moneyParts,
      comparePlans: comparePlans,
    },
    close: function () { controller.close(); },
    state: function () {
      return {
        phase: controller.phase,
        sessionId: controller.sessionId,
        polling: !!(controller.poller && !controller.poller.stopped),
        open: controller.view.isOpen(),
        pill: controller.view.pillShown(),
      };
    },
  };
})();
