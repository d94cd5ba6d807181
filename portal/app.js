/*
 * Simulated insurer portal: the single-page quote flow. Owns the run's state, the server lookups,
 * the router (transitions, injected faults, Voltar, answers kept when going back) and screens
 * 1–14 with the Zero KM and unknown screens; screen 5's carousel and drawer are in js/estimate.js,
 * screen 15 in js/result.js, the markup kit in js/kit.js. Screens 1–6 have the structure of the
 * real portal's captures; screens 7–15 follow the same conventions (portal/README.md).
 */
(function (kit) {
  'use strict';

  var CFG = JSON.parse(document.getElementById('sim-config').textContent);
  var root = document.getElementById('conteudo');
  var $ = kit.$;
  var $$ = kit.$$;
  var esc = kit.esc;

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
    renders: 0,
    busy: false,
    unknownSeen: {},
    afterUnknown: null
  };

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

  /* ------------------------------------------------------------ screen frame */

  /* The slight structural change of --mudanca-tela: one more button, which the quote never needs. */
  function helpButton(screenKey, id) {
    if (CFG.mudanca_tela !== screenKey) return '';
    return '<button type="button" class="botao botao-texto" id="' + id + '" data-ajuda="1"><p class="' + kit.P_VOLTAR +
      '">Precisa de ajuda?</p></button>';
  }

  /* A question screen: heading, error banner, body and footer inside the screen's form. Without
     its Continuar when the fault "sem-continuar" is injected. */
  function form(screen, headingHtml, body, backLabel) {
    var fault = CFG.falhas[screen.fault];
    var continuar = fault && fault.tipo === 'sem-continuar' ? null : screen.continuar;
    return '<form class="tela form-tela" novalidate>' + headingHtml + '<div class="alerta-tela"></div>' + body +
      kit.footer(continuar, backLabel, helpButton(screen.fault, screen.continuar.replace(/Continuar.*$/, '') + 'Ajuda')) + '</form>';
  }

  function tip(text) {
    return '<div class="dica"><p class="text-xs"><span class="font-bold">Dica:</span> ' + text + '</p></div>';
  }

  /* Shows the box while showWhen(the group's value) holds, on every change of the group (restore() included). */
  function toggleOnRadio(groupName, boxId, showWhen) {
    var box = document.getElementById(boxId);
    $('.form-tela', root).addEventListener('change', function (e) {
      if (e.target.name === groupName) box.style.display = showWhen(kit.radioValue(groupName, root)) ? 'block' : 'none';
    });
  }

  /* -------------------------------------------------------------- routing */

  var STEP_OF = { placa: 0, confirmacao: 0, renovacao: 0, estimativa: 0, zerokm: 0, itens: 0, pernoite: 1, uso: 1, segurado: 1,
    condutor: 2, atividade: 2, garagem: 2, residentes: 2, corretor: 2, calculo: 3, resultado: 3, manual: 3 };
  // Screens whose DOM holds no page loader while idle: the real screens 5 and 6 (and Zero KM, between them).
  var WITHOUT_LOADER = { estimativa: 1, zerokm: 1, itens: 1 };

  /* An answer's key: a radio by group and value, a box by its group's id and value, a field by id. */
  function answerKey(i) {
    if (i.type === 'radio' || i.type === 'checkbox') {
      var group = i.name || (i.parentNode.closest('[id]') || {}).id;
      return group + '=' + i.value;
    }
    return i.id ? '#' + i.id : (i.name ? '@' + i.name : null);
  }

  function saveCurrent() {
    if (!S.current) return;
    var vals = {};
    $$('input', root).forEach(function (i) {
      var k = answerKey(i);
      if (k) vals[k] = i.type === 'radio' || i.type === 'checkbox' ? i.checked : i.value;
    });
    S.saved[S.current] = vals;
  }

  function restore(name) {
    var vals = S.saved[name];
    if (!vals) return;
    $$('input', root).forEach(function (i) {
      var k = answerKey(i);
      if (!k || !(k in vals)) return;
      if (i.type === 'radio' || i.type === 'checkbox') i.checked = vals[k];
      else i.value = vals[k];
    });
    $$('.MuiSelect-select', root).forEach(function (t) {
      kit.setSelect(t.id, t.parentNode.querySelector('.MuiSelect-nativeInput').value);
    });
    $$('input[type=radio], input[type=checkbox]', root).forEach(function (i) {
      i.dispatchEvent(new Event('change', { bubbles: true }));
    });
  }

  function render(name) {
    var scr = SCREENS[name];
    var token = ++S.renders;
    S.current = name;
    S.busy = false;
    kit.dropSnackbar();
    root.innerHTML = scr.html();
    var step = STEP_OF[name];
    var stepper = document.getElementById('stepper');
    stepper.style.display = step === undefined ? 'none' : 'block';
    $$('.stepper-item', stepper).forEach(function (li, i) {
      li.classList.toggle('ativo', i === step);
      li.classList.toggle('feito', step !== undefined && i < step);
    });
    var title = document.getElementById('tituloSeguro');
    title.textContent = S.tipo === 'moto' ? 'Seguro de Moto' : 'Seguro de Carro';
    title.style.visibility = name === 'tipo' ? 'hidden' : 'visible';
    document.title = name === 'tipo' ? 'Tô Segurado - Simulador de Seguro Auto' : 'Faça agora sua cotação de Seguro Auto';
    kit.keepLoader(!WITHOUT_LOADER[name]);

    var continuar = scr.continuar && document.getElementById(scr.continuar);
    function submit() {
      if (S.busy || S.renders !== token) return;
      S.busy = true;
      Promise.resolve(scr.submit ? scr.submit() : null).catch(function () {}).then(function () {
        if (S.renders === token) S.busy = false;
      });
    }
    if (continuar) continuar.addEventListener('click', function (e) { e.preventDefault(); submit(); });
    var f = $('.form-tela', root);
    if (f) {
      // Enter in a field: the browser clicks Continuar; without Continuar (injected fault) nothing happens.
      f.addEventListener('submit', function (e) { e.preventDefault(); });
    }
    var back = $('.botao-voltar', root);
    if (back) back.addEventListener('click', function () { return scr.back ? scr.back() : goBack(); });
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
    kit.loading(true);
    return kit.wait(ms).then(function () { kit.loading(false); render(name); });
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
    continuar: 'gtm-telaRastreadorContinuar',
    html: function () {
      return form(this, kit.heading('O veículo possui rastreador?', 'Alguns rastreadores dão desconto no seguro.'),
        kit.radioGroup('possuiRastreadorTelaRastreador', [['nao', 'Não'], ['sim', 'Sim']], 'nao'));
    },
    submit: function () { return go(S.afterUnknown, { replace: true }); }
  };

  var CHEVRON = kit.lineIcon(24, '<path d="m9 18 6-6-6-6"/>');
  var TYPES = [['car', 'Carro'], ['motorcycle', 'Moto'], ['life', 'Vida'], ['residence', 'Residência']];

  /* Screen 1: the insurance cards, the log-in panel and the log-in dialog mounted hidden. */
  SCREENS.tipo = {
    fault: '1',
    html: function () {
      return '<div class="tela-inicio">' + kit.heading('Qual seguro você deseja cotar?', 'Escolha o tipo de seguro e faça sua cotação em poucos minutos.') +
        '<div><div class="tipos">' + TYPES.map(function (t) {
          return '<button class="group tipo"><img alt="Icone ' + t[0] + '" src="/insurance-icons/' + t[0] +
            '.svg" width="80" height="80"><p class="font-semibold">' + t[1] + '</p></button>';
        }).join('') + '</div></div>' +
        '<div class="painel-login"><div><p class="font-semibold">Quer mais agilidade?</p>' +
        '<p class="text-sm">Entre na sua conta e seus dados já vêm preenchidos.</p></div>' +
        '<div><button class="botao botao-login" id="fazerLoginTelaCotacao"><span class="so-celular">Fazer login</span>' +
        '<span class="so-largo">Entrar com minha conta</span>' + CHEVRON + '</button></div></div>' +
        helpButton('1', 'gtm-telaCotacaoAjuda') + kit.loginDialog('conta') + '</div>';
    },
    bind: function () {
      $$('.tipos > button', root).forEach(function (b, i) {
        b.addEventListener('click', function () {
          var t = TYPES[i][0];
          if (t === 'car' || t === 'motorcycle') {
            S.tipo = t === 'car' ? 'carro' : 'moto';
            go('placa');
          } else {
            kit.snackbar('Este simulador cota apenas carro e moto no momento.');
          }
        });
      });
      var dialog = app.bindLogin(function () { kit.snackbar('Login realizado com sucesso.'); });
      $('#fazerLoginTelaCotacao', root).addEventListener('click', function () { kit.showDialog(dialog, true); });
    }
  };

  SCREENS.placa = {
    fault: '2',
    continuar: 'gtm-telaDadosAutoCotarComPlacaContinuar',
    html: function () {
      return form(this, kit.heading('Qual é a placa d' + oCarro() + '?', 'Ao informar a placa, conseguimos buscar suas informações mais rápido!'),
        '<div class="campos">' + kit.textField('placaTelaDadosPlaca', 'plate', 'Placa *', { placeholder: 'ABC-1D34', maxlength: 8 }) + '</div>' +
        '<p class="text-primary font-semibold underline cursor-pointer cotar-sem-placa">Desejo cotar sem informar a placa</p>' +
        tip('a placa está na frente e na traseira do veículo e também no documento (CRLV).'), 'Cancelar');
    },
    bind: function () {
      kit.bindMask('placaTelaDadosPlaca', kit.maskPlate);
      $('.cotar-sem-placa', root).addEventListener('click', function () {
        kit.screenAlert(root, 'No momento a cotação sem placa não está disponível. Informe a placa do veículo.', true);
      });
    },
    submit: function () {
      var raw = document.getElementById('placaTelaDadosPlaca').value;
      var p = raw.toUpperCase().replace(/[^A-Z0-9]/g, '');
      kit.screenAlert(root, null);
      if (!/^[A-Z]{3}[0-9][A-Z0-9][0-9]{2}$/.test(p)) { kit.setError('placaTelaDadosPlaca', 'Placa inválida.'); return; }
      kit.setError('placaTelaDadosPlaca', null);
      kit.loading(true);
      return api('GET', '/api/veiculo?placa=' + encodeURIComponent(p) + '&tipo=' + S.tipo).then(function (r) {
        kit.loading(false);
        if (r.status === 200) {
          S.vehicle = r.data;
          S.estimate = null;
          return go('confirmacao');
        }
        if (r.status === 404 || r.status === 400) { kit.setError('placaTelaDadosPlaca', r.data.erro || 'Placa não encontrada.'); return; }
        kit.screenAlert(root, 'Não foi possível consultar a placa agora. Tente novamente em instantes.');
      });
    }
  };

  /* Screen 3: the question is the heading, outside the form; the radios have no question label. */
  SCREENS.confirmacao = {
    fault: '3',
    continuar: 'gtm-telaInfosAutoContinuar',
    html: function () {
      var v = S.vehicle;
      return '<div class="tela"><div class="cabecalho-tela"><p class="tela-titulo font-workSans">O veículo <span class="font-bold">' +
        esc(v.modelo) + '</span> <span class="font-bold">' + v.ano_fabricacao + '/' + v.ano_modelo +
        '</span> corresponde a placa <span class="font-bold">' + esc(v.placa_formatada) + '</span>?</p></div>' +
        form(this, '', kit.radioGroup('confirmarVeiculoTelaInformacoesVeiculo', [['Sim', 'Sim'], ['Não', 'Não']], 'Sim')) + '</div>';
    },
    submit: function () {
      if (kit.radioValue('confirmarVeiculoTelaInformacoesVeiculo', root) === 'Não') {
        S.history = S.history.filter(function (n) { return n !== 'placa'; });
        return Promise.resolve(go('placa', { replace: true })).then(function () {
          kit.screenAlert(root, 'Informe a placa novamente para buscarmos o veículo correto.', true);
        });
      }
      return go('renovacao');
    }
  };

  SCREENS.renovacao = {
    fault: '4',
    continuar: 'gtm-telaRenovacaoVeiculoContinuar',
    html: function () {
      return form(this, kit.heading('Esse veículo já está segurado?'),
        kit.radioGroup('jaSeguradoTelaRenovacao', [['nao', 'Não'], ['sim', 'Sim']], 'nao') +
        tip('se o veículo já tem seguro, você pode ter direito a desconto pela classe de bônus acumulada. O bônus é um desconto ' +
          'concedido a cada renovação sem sinistro e pode chegar a 40% do valor do seguro.'));
    },
    submit: function () { return go('estimativa'); }
  };

  /* Screen 5: no form around it; the drawer first, then the carousel and the footer. Voltar asks,
     in the drawer, why the visitor prefers to continue later. */
  SCREENS.estimativa = {
    fault: '5',
    continuar: 'gtm-telaEstimativaContinuarParaCotacaoFinal',
    html: function () {
      var fault = CFG.falhas[this.fault];
      var cards = S.estimate ? S.estimate.map(kit.estimateCard) : [kit.skeletonCard(), kit.skeletonCard(), kit.skeletonCard()];
      return '<div class="tela larga">' + kit.heading('Confira abaixo a estimativa inicial para o seu seguro ' + carro() + '!',
        'Essa é somente uma <b>estimativa</b> baseada nos dados fornecidos. O valor estimado é baseado em mais de 30 milhões de ' +
        'cotações de seguros das principais seguradoras do país.') + '<div class="alerta-tela"></div>' +
        '<div class="estimativa-corpo">' + kit.laterDrawer() + '<div class="area-estimativa" id="areaEstimativa">' + kit.carousel(cards) +
        '</div>' + kit.footer(fault && fault.tipo === 'sem-continuar' ? null : this.continuar, null, helpButton('5', 'gtm-telaEstimativaAjuda')) +
        '</div></div>';
    },
    bind: function () {
      this.back = kit.bindLaterDrawer(root);
      kit.bindCarousel(root);
      if (S.estimate) return;
      var mySeq = ++S.seq;
      api('GET', '/api/estimativa?placa=' + encodeURIComponent(S.vehicle.placa) + '&tipo=' + S.tipo).then(function (r) {
        if (mySeq !== S.seq || S.current !== 'estimativa') return;
        var area = document.getElementById('areaEstimativa');
        if (r.status === 200) {
          S.estimate = r.data.coberturas;
          area.innerHTML = kit.carousel(S.estimate.map(kit.estimateCard));
          kit.bindCarousel(root);
        } else {
          area.innerHTML = '';
          kit.screenAlert(root, 'Não foi possível carregar a estimativa agora. Tente novamente em instantes.');
        }
      });
    },
    submit: function () { return go(S.vehicle.perguntar_zero_km ? 'zerokm' : 'itens'); }
  };

  SCREENS.zerokm = {
    fault: 'zerokm',
    continuar: 'gtm-telaZeroKmContinuar',
    html: function () {
      return form(this, kit.heading('Seu veículo é zero quilômetro?'),
        kit.radioGroup('zerokmTelaZeroKm', [['Sim', 'Sim'], ['Não', 'Não']], 'Não', { label: 'O veículo é zero km?' }));
    },
    submit: function () { return go('itens'); }
  };

  /* Screen 6: fuel radios and the "Outros" boxes, each group under a label sharing its id. */
  SCREENS.itens = {
    fault: '6',
    continuar: 'gtm-telaItensAutoContinuar',
    html: function () {
      var outros = [['Blindado', 'Blindado'], ['Financiado', 'Financiado']];
      if (S.tipo !== 'moto') outros.unshift(['Kit Gás', 'Kit Gás']);
      return form(this, kit.heading((S.tipo === 'moto' ? 'A moto' : 'O carro') + ' possui alguns desses itens?',
        'Selecione os itens abaixo que correspondem ao seu ' + carro() + '.'),
        kit.radioGroup('tipoCombustivelTelaItens', [['1', 'Flex'], ['2', 'Gasolina'], ['3', 'Álcool'], ['4', 'Diesel'],
          ['5', 'Híbrido'], ['6', 'Elétrico']], '1', { label: 'Tipo de Combustível' }) +
        kit.checkboxGroup('outrosTelaItens', 'Outros', outros));
    },
    submit: function () { return go('pernoite'); }
  };

  /* Screen 7: MUI-like Autocomplete fed by the CEP lookup; its popper exists only while open. */
  SCREENS.pernoite = {
    fault: '7',
    continuar: 'gtm-telaPernoiteVeiculoContinuar',
    html: function () {
      return form(this, kit.heading('Onde ' + oCarro() + ' passa a noite?', 'Informe o CEP do local onde o veículo fica durante a noite.'),
        '<div class="campo"><p class="campo-titulo font-workSans" id="enderecoTelaEndereco-label">Endereço*</p>' +
        '<div class="MuiAutocomplete-root"><div class="MuiFormControl-root MuiTextField-root">' +
        '<div class="MuiInputBase-root MuiAutocomplete-inputRoot"><input class="MuiInputBase-input MuiAutocomplete-input" ' +
        'id="enderecoTelaEndereco" name="endereco" type="text" role="combobox" aria-autocomplete="list" aria-expanded="false" ' +
        'autocomplete="off" placeholder="Digite o CEP" aria-invalid="false"></div>' +
        '<p class="MuiFormHelperText-root" id="enderecoTelaEndereco-helper-text" hidden></p></div></div></div>');
    },
    bind: function () {
      var input = document.getElementById('enderecoTelaEndereco');
      var box = $('.MuiAutocomplete-root', root);
      var list = [];
      var active = -1;
      if (S.endereco) input.value = S.endereco.texto;
      function popper() { return $('.MuiAutocomplete-popper', box); }
      function show(html) {
        var pop = popper();
        if (!html) {
          if (pop) pop.remove();
          input.setAttribute('aria-expanded', 'false');
          input.removeAttribute('aria-controls');
          return;
        }
        if (!pop) {
          pop = document.createElement('div');
          pop.className = 'MuiAutocomplete-popper';
          pop.setAttribute('role', 'presentation');
          pop.innerHTML = '<div class="MuiPaper-root MuiAutocomplete-paper"></div>';
          pop.addEventListener('mousedown', function (e) { e.preventDefault(); });
          pop.addEventListener('click', function (e) {
            var li = e.target.closest('li[role=option]');
            if (li) pickOption(Number(li.getAttribute('data-option-index')));
          });
          box.appendChild(pop);
        }
        pop.firstChild.innerHTML = html;
        input.setAttribute('aria-expanded', 'true');
        if ($('ul', pop)) input.setAttribute('aria-controls', 'enderecoTelaEndereco-listbox');
        else input.removeAttribute('aria-controls');
      }
      function pickOption(i) {
        S.endereco = list[i];
        input.value = list[i].texto;
        kit.setError('enderecoTelaEndereco', null);
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
        var d = kit.digits(v);
        kit.screenAlert(root, null);
        kit.setError('enderecoTelaEndereco', null);
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
            kit.setError('enderecoTelaEndereco', 'CEP não encontrado. Verifique o CEP informado.');
          } else {
            list = [];
            show('');
            kit.screenAlert(root, 'Não foi possível buscar o endereço agora. Tente novamente em instantes.');
          }
        });
      });
      input.addEventListener('keydown', function (e) {
        if (!list.length || !popper()) return;
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
        if (!$('#enderecoTelaEndereco-helper-text.Mui-error', root)) kit.setError('enderecoTelaEndereco', 'Selecione um endereço da lista.');
        return;
      }
      return go('uso');
    }
  };

  SCREENS.uso = {
    fault: '8',
    continuar: 'gtm-telaUsoVeiculoContinuar',
    html: function () {
      return form(this, kit.heading('Qual é o uso do veículo?'),
        kit.radioGroup('finalidadeVeiculoTelaUsoVeiculo', [['Particular', 'Pessoal'], ['Profissional', 'Profissional'],
          ['Motorista de App', 'Motorista de aplicativo'], ['Taxi', 'Táxi']], 'Particular'));
    },
    submit: function () { return go('segurado'); }
  };

  var SEXO = [['masculino', 'Masculino'], ['feminino', 'Feminino']];
  var ESTADO_CIVIL = [['casado', 'Casado ou União Estável'], ['solteiro', 'Solteiro'], ['divorciado', 'Divorciado'],
    ['viuvo', 'Viúvo'], ['separado', 'Separado']];

  function personFields(suffix) {
    return kit.textField('nome' + suffix, 'nome', 'Nome completo *') +
      kit.textField('cpf' + suffix, 'cpf', 'CPF *', { placeholder: '000.000.000-00', inputmode: 'numeric' }) +
      kit.textField('dataNascimento' + suffix, 'dataNascimento', 'Data de nascimento *', { placeholder: 'DD/MM/AAAA', inputmode: 'numeric' }) +
      kit.selectField('sexo' + suffix, 'sexo', 'Sexo *', SEXO) +
      kit.selectField('estadoCivil' + suffix, 'estadoCivil', 'Estado civil *', ESTADO_CIVIL);
  }
  function bindPerson(suffix) {
    kit.bindMask('cpf' + suffix, kit.maskCpf);
    kit.bindMask('dataNascimento' + suffix, kit.maskDate);
  }
  function personErrors(suffix) {
    var ok = true;
    function check(id, msg) { kit.setError(id, msg); if (msg) ok = false; }
    var nome = document.getElementById('nome' + suffix).value.trim();
    check('nome' + suffix, nome.split(/\s+/).length < 2 || nome.length < 5 ? 'Informe o nome completo.' : null);
    check('cpf' + suffix, kit.validCpf(document.getElementById('cpf' + suffix).value) ? null : 'CPF inválido.');
    check('dataNascimento' + suffix, kit.dateError(document.getElementById('dataNascimento' + suffix).value));
    check('sexo' + suffix, kit.selectValue('sexo' + suffix) ? null : 'Selecione o sexo.');
    check('estadoCivil' + suffix, kit.selectValue('estadoCivil' + suffix) ? null : 'Selecione o estado civil.');
    return ok;
  }

  SCREENS.segurado = {
    fault: '9',
    continuar: 'gtm-telaDadosSeguradoContinuar',
    html: function () {
      return form(this, kit.heading('Nessa etapa, precisamos dos seus dados pessoais', 'Seus dados são usados somente para o cálculo do seguro.'),
        '<div class="campos">' + personFields('TelaSegurado') +
        kit.textField('emailTelaSegurado', 'email', 'E-mail *', { type: 'email' }) +
        kit.textField('celularTelaSegurado', 'celular', 'Celular *', { placeholder: '(11) 98765-4321', inputmode: 'numeric' }) + '</div>');
    },
    bind: function () {
      bindPerson('TelaSegurado');
      kit.bindMask('emailTelaSegurado', function (v) { return v.toUpperCase(); });
      kit.bindMask('celularTelaSegurado', kit.maskPhone);
    },
    submit: function () {
      var ok = personErrors('TelaSegurado');
      var email = document.getElementById('emailTelaSegurado').value.trim();
      var emailOk = /^[A-Z0-9._%+-]+@[A-Z0-9.-]+\.[A-Z]{2,}$/i.test(email);
      kit.setError('emailTelaSegurado', emailOk ? null : 'E-mail inválido.');
      var cel = kit.digits(document.getElementById('celularTelaSegurado').value);
      var celOk = cel.length === 11 && cel[2] === '9' && cel[0] !== '0';
      kit.setError('celularTelaSegurado', celOk ? null : 'Celular inválido. Informe o DDD e o número com 9 dígitos.');
      if (!ok || !emailOk || !celOk) return;
      S.cpf = document.getElementById('cpfTelaSegurado').value;
      return go('condutor');
    }
  };

  SCREENS.condutor = {
    fault: '10',
    continuar: 'gtm-telaCondutorPrincipalContinuar',
    html: function () {
      return form(this, kit.heading('Você será o condutor principal do veículo?', 'O condutor principal é quem utiliza o veículo com mais frequência.'),
        kit.radioGroup('condutorPrincipalTelaCondutorPrincipal', [['sim', 'Sim'], ['nao', 'Não']], 'sim') +
        '<div id="dadosCondutorTelaCondutorPrincipal" class="campos" style="display:none"><p class="font-bold mt-6">Dados do condutor principal</p>' +
        personFields('TelaCondutorPrincipal') + '</div>');
    },
    bind: function () {
      bindPerson('TelaCondutorPrincipal');
      toggleOnRadio('condutorPrincipalTelaCondutorPrincipal', 'dadosCondutorTelaCondutorPrincipal', function (v) { return v === 'nao'; });
    },
    submit: function () {
      if (kit.radioValue('condutorPrincipalTelaCondutorPrincipal', root) === 'nao' && !personErrors('TelaCondutorPrincipal')) return;
      return go('atividade');
    }
  };

  /* A MUI Switch (its input a checkbox named after its id), shown once its box is ticked. */
  function switchField(id, label) {
    return '<div class="switch-linha" id="' + id + '-linha" style="display:none"><label class="MuiFormControlLabel-root">' +
      '<span class="MuiSwitch-root"><span class="MuiButtonBase-root MuiSwitch-switchBase"><input class="PrivateSwitchBase-input MuiSwitch-input" ' +
      'type="checkbox" id="' + id + '" name="' + id + '" value="sim"><span class="MuiSwitch-thumb"></span></span><span class="MuiSwitch-track"></span></span>' +
      '<span class="MuiTypography-root MuiFormControlLabel-label">' + label + '</span></label></div>';
  }

  /* Screen 11: boxes without name inside the group's div, as screen 6's "Outros". */
  SCREENS.atividade = {
    fault: '11',
    continuar: 'gtm-telaAtividadeVeiculoContinuar',
    html: function () {
      return form(this, kit.heading('O veículo é utilizado para ir ao local de trabalho ou estudo?', 'Marque as opções que se aplicam.'),
        '<div class="MuiFormControl-root grupo"><div id="atividadeVeiculoTelaAtividadeVeiculo" class="MuiFormGroup-root">' +
        kit.option('checkbox', null, 'trabalho', 'Local de trabalho', false) +
        switchField('estacionamentoTrabalhoTelaAtividadeVeiculo', 'Possui estacionamento próprio no local de trabalho?') +
        kit.option('checkbox', null, 'estudo', 'Local de estudo', false) +
        switchField('estacionamentoEstudoTelaAtividadeVeiculo', 'Possui estacionamento próprio no local de estudo?') +
        '</div></div>');
    },
    bind: function () {
      var box = document.getElementById('atividadeVeiculoTelaAtividadeVeiculo');
      box.addEventListener('change', function (e) {
        if (e.target.classList.contains('MuiSwitch-input')) return;
        var t = $('input[value=trabalho]', box).checked;
        var s = $('input[value=estudo]', box).checked;
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
    continuar: 'gtm-telaGaragemResidenciaContinuar',
    html: function () {
      return form(this, kit.heading('Você possui uma garagem na sua residência?'),
        kit.radioGroup('possuiGaragemTelaGaragemResidencia', [['sim', 'Sim'], ['nao', 'Não']], 'sim', { label: 'Possui garagem?' }) +
        '<div id="portaoTelaGaragemResidencia">' + kit.radioGroup('tipoPortaoTelaGaragemResidencia',
          [['eletronico', 'Eletrônico'], ['manual', 'Manual']], 'eletronico', { label: 'Qual o tipo de portão?' }) + '</div>');
    },
    bind: function () {
      toggleOnRadio('possuiGaragemTelaGaragemResidencia', 'portaoTelaGaragemResidencia', function (v) { return v === 'sim'; });
    },
    submit: function () { return go('residentes'); }
  };

  SCREENS.residentes = {
    fault: '13',
    continuar: 'gtm-telaUsoResidentesContinuar',
    html: function () {
      return form(this, kit.heading('Você reside com alguém entre 18 e 26 anos?', 'Considere filhos, enteados, cônjuge e outras pessoas que moram com você.'),
        kit.radioGroup('usoDependenteTelaUsoResidentes', [['nao', 'Não'], ['sim_nao_utilizam', 'Sim, mas não utilizam o veículo'],
          ['sim_utilizam', 'Sim e utilizam o veículo']], 'nao', { label: 'Reside com alguém entre 18 e 26 anos?' }) +
        '<div id="dependentesTelaUsoResidentes" style="display:none">' +
        kit.radioGroup('sexoDependenteTelaUsoResidentes', [['feminino', 'Feminino'], ['masculino', 'Masculino'], ['ambos', 'Ambos']],
          'feminino', { label: 'Qual o sexo dos residentes?' }) +
        kit.radioGroup('faixaEtariaDependenteTelaUsoResidentes', [['18_24', '18 a 24 anos'], ['25', '25 anos']], '18_24',
          { label: 'Qual a idade do residente mais novo?' }) + '</div>');
    },
    bind: function () {
      toggleOnRadio('usoDependenteTelaUsoResidentes', 'dependentesTelaUsoResidentes', function (v) { return v !== 'nao'; });
    },
    submit: function () {
      return go(S.vehicle.corretor_anterior ? 'corretor' : 'calculo');
    }
  };

  /* Screen 14: the radio group of the real screens, whose options are the bordered cards the
     reference's selectors name (`.cursor-pointer:nth-child(N) > .border .font-workSans`). */
  SCREENS.corretor = {
    fault: '14',
    continuar: 'gtm-telaCorretorAnteriorContinuar',
    html: function () {
      return form(this, kit.heading('Você já tem um corretor de seguros?',
        'Identificamos uma cotação anterior deste veículo com outro corretor. Como prefere continuar?'),
        kit.radioGroup('corretorAnteriorTelaCorretorAnterior', [['sim', 'Sim, continuar com meu corretor'],
          ['nao', 'Não, quero outro corretor']], 'sim'));
    },
    submit: function () { return go('calculo'); }
  };

  var app = { S: S, CFG: CFG, root: root, api: api, go: go, helpButton: helpButton };
  var ending = kit.resultScreens(app);
  SCREENS.calculo = ending.calculo;
  SCREENS.resultado = ending.resultado;
  SCREENS.manual = ending.manual;

  render(unknownFirst('tipo') ? 'desconhecida' : 'tipo');
})(SP);
