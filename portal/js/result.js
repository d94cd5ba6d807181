/*
 * Simulated portal, screen 15: the calculation countdown, then the result page (plan cards in
 * the layout of --variante-resultado, the log-in dialog mounted with it and shown over it, the
 * CPF-mismatch modal after a log-in with another person's account) or the manual-quote page.
 * `kit.resultScreens(app)` returns the three screens for the router in app.js.
 */
(function (kit) {
  'use strict';

  var esc = kit.esc;

  function mmss(ms) {
    var s = Math.max(0, Math.ceil(ms / 1000));
    return ('0' + Math.floor(s / 60)).slice(-2) + ':' + ('0' + (s % 60)).slice(-2);
  }

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
   * - padrao: label column + two cards, one <p> per row, a line break between rows;
   * - rotulos-no-cartao: as padrao, and each row repeats its label (shown only on narrow screens);
   *   the cards are labelled groups;
   * - sem-coluna-de-rotulos: no label column; each card is a <dl> of <dt>/<dd> pairs, no whitespace
   *   between elements; the grid is a list of cards;
   * - linhas-em-lista: the label column and the rows are <li> items of <ul role="list">, indented;
   * - botoes-em-rotulos: the pattern of the real estimate cards (screen 5): the title, the premium
   *   and every text row inside <label><button><p>…</p></button></label>, icon rows as image
   *   rows, nothing between elements.
   */
  var VARIANTS = {
    'padrao': { sep: '\n', column: 'p' },
    'rotulos-no-cartao': { sep: '\n', column: 'p', inCard: true },
    'sem-coluna-de-rotulos': { sep: '', column: null, dl: true },
    'linhas-em-lista': { sep: '\n  ', column: 'li' },
    'botoes-em-rotulos': { sep: '', column: 'p', buttons: true }
  };

  /* Text in the real estimate cards' way: a <label> holding a <button> holding the content. */
  function inButton(cls, inner) {
    return '<label class="' + cls + '"><button class="botao-conteudo">' + inner + '</button></label>';
  }

  function planCard(variant, p, recommended, hidden) {
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
    var sep = variant.sep;
    var which = recommended ? 'Recomendado' : 'Alternativo';
    var title = '<p class="cabecalho-plano font-workSans" id="tituloPlano' + which + '">' + esc(p.plano) + '</p>';
    var price = '<p class="preco' + (hidden ? ' borrado' : '') + '"><span>R$</span><span>' + esc(p.valor) + '</span></p>';
    var head = variant.buttons ? [inButton('titulo-plano', title), inButton('preco-plano', price), '<p class="anual">anual</p>'] :
      [title, price, '<p class="anual">anual</p>'];
    var rows;
    if (variant.dl) {
      rows = ['<dl class="linhas">' + ROWS.map(function (row) {
        return '<dt class="rotulo-linha">' + row[0] + '</dt><dd class="' + cls(row) + '">' + value(row) + '</dd>';
      }).join('') + '</dl>'];
    } else if (variant.column === 'li') {
      rows = ['<ul role="list" class="linhas">' + sep + ROWS.map(function (row) {
        return '<li class="' + cls(row) + '">' + value(row) + '</li>';
      }).join(sep) + sep + '</ul>'];
    } else if (variant.buttons) {
      rows = ROWS.map(function (row) {
        return row[2] === 'icone' ? '<div class="' + cls(row) + '">' + value(row) + '</div>' : inButton(cls(row), '<p>' + value(row) + '</p>');
      });
    } else {
      rows = ROWS.map(function (row) {
        var label = variant.inCard ? '<span class="rotulo-cartao">' + row[0] + '</span>' : '';
        return '<p class="' + cls(row) + '">' + label + (variant.inCard ? '<span class="valor">' + value(row) + '</span>' : value(row)) + '</p>';
      });
    }
    var button = '<button class="botao botao-primario w-full mt-4" id="gtm-telaResultadoContratar' + which +
      '"><p class="' + kit.P_CONTINUAR + '">Contratar</p></button>';
    var attrs = variant.inCard ? ' role="group" aria-labelledby="tituloPlano' + which + '"' : (variant.dl ? ' role="listitem"' : '');
    return '<div class="plano md:w-80 border-4 ' + (recommended ? 'border-primary' : 'border-gray-200') + ' rounded-xl"' + attrs + '>' +
      head.concat(rows, [button]).join(sep) + '</div>';
  }

  function labelColumn(variant) {
    var sep = variant.sep;
    if (!variant.column) return '';
    if (variant.column === 'li') {
      return '<ul role="list" class="coluna-rotulos">' + sep + ROWS.map(function (r) { return '<li>' + r[0] + '</li>'; }).join(sep) + sep + '</ul>';
    }
    return '<div class="coluna-rotulos">' + ROWS.map(function (r) { return '<p>' + r[0] + '</p>'; }).join(sep) + '</div>';
  }

  kit.resultScreens = function (app) {
    var S = app.S;
    var CFG = app.CFG;
    var root = app.root;
    var variant = VARIANTS[CFG.variante_resultado] || VARIANTS.padrao;

    function renderPlans() {
      var d = S.result;
      var hidden = !d.autenticado;
      kit.$('#gradeResultado', root).innerHTML = [labelColumn(variant), planCard(variant, d.planos.plano_recomendado, true, hidden),
        planCard(variant, d.planos.plano_alternativo, false, hidden)].filter(Boolean).join(variant.sep);
    }

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
        '<div class="MuiPaper-root MuiDialog-paper papel-modal" role="dialog" aria-modal="true">' +
        '<p class="text-xl font-bold font-workSans">CPF informado não corresponde à conta</p>' +
        '<p class="text-sm mt-2">O CPF informado na cotação é diferente do CPF da conta que você acessou. Deseja manter o login atual ou entrar com outra conta?</p>' +
        '<div class="flex flex-col gap-3 mt-6"><button class="botao botao-primario w-full" id="manterLoginAtualModalAssociarUsuario">' +
        '<p class="' + kit.P_CONTINUAR + '">Manter Login atual</p></button>' +
        '<button class="botao botao-contorno w-full" id="logarComOutraContaModalAssociarUsuario"><p class="' + kit.P_CONTINUAR +
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
        kit.showDialog(kit.$('.dialogo-login', root), true);
      });
    }

    /* The log-in dialog of the screen now shown (screen 1 or the result page). */
    app.bindLogin = function (onLoggedIn) {
      var dialog = kit.$('.dialogo-login', root);
      var senha = kit.$('#senhaTelaLogin', root);
      kit.$('.alternar-senha', dialog).addEventListener('click', function () {
        senha.type = senha.type === 'password' ? 'text' : 'password';
      });
      var close = kit.$('.fechar-modal', dialog) || kit.$('#gtm-telaResultadoAgoraNaoFechar', dialog);
      close.addEventListener('click', function () { kit.showDialog(dialog, false); });
      kit.$$('a.link', dialog).forEach(function (a) {
        a.addEventListener('click', function (e) {
          e.preventDefault();
          kit.setError('senhaTelaLogin', 'Indisponível no simulador: use o e-mail e a senha da conta do corretor.');
        });
      });
      kit.$('.botao-contorno', dialog).addEventListener('click', function () {
        kit.setError('senhaTelaLogin', 'Login com Google indisponível no momento. Use e-mail e senha.');
      });
      kit.$('.form-login', dialog).addEventListener('submit', function (e) {
        e.preventDefault();
        var email = kit.$('#emailTelaLogin', dialog).value;
        if (!email.trim() || !senha.value) { kit.setError('senhaTelaLogin', 'Informe o e-mail e a senha.'); return; }
        kit.loading(true);
        app.api('POST', '/api/login', { email: email, senha: senha.value }).then(function (r) {
          kit.loading(false);
          if (r.status !== 200) {
            kit.setError('senhaTelaLogin', r.status === 401 ? 'E-mail ou senha inválidos.' : 'Não foi possível entrar agora. Tente novamente.');
            return;
          }
          S.token = r.data.token;
          kit.setError('senhaTelaLogin', null);
          kit.showDialog(dialog, false);
          onLoggedIn();
        });
      });
      return dialog;
    };

    var calculo = {
      fault: '15',
      html: function () {
        var msg = S.vehicle.corretor_anterior ? 'Por favor, aguarde. Estamos buscando o corretor ideal para você!' :
          'Por favor, aguarde. Estamos realizando o cálculo para você!';
        return '<div class="tela text-center"><p class="text-xl font-bold font-workSans">' + msg + '</p>' +
          '<svg class="mapa" width="260" height="150" viewBox="0 0 260 150" aria-hidden="true"><path d="M20 120 L70 40 L120 90 L170 30 L240 110" ' +
          'fill="none" stroke="#d1d5db" stroke-width="3"/><circle cx="70" cy="40" r="7" fill="#1a1650"/><circle cx="170" cy="30" r="7" ' +
          'fill="#1a1650"/><circle cx="120" cy="90" r="7" fill="#ffc34d"/></svg>' +
          '<p class="contagem font-workSans" id="contagemTelaCalculo">Tempo estimado em <b>' + mmss(CFG.contagem_ms) + '</b></p>' +
          '<div class="alerta-tela"></div></div>';
      },
      bind: function () {
        var mySeq = ++S.seq;
        var body = { placa: S.vehicle.placa, tipo: S.tipo, cpf: S.cpf || '' };
        app.api('POST', '/api/calculo', body).then(function (r) {
          if (mySeq !== S.seq) return;
          if (r.status !== 201) {
            kit.$('#contagemTelaCalculo', root).remove();
            kit.screenAlert(root, 'Não foi possível realizar o cálculo agora. Tente novamente mais tarde.');
            return;
          }
          S.calcId = r.data.id;
          var end = Date.now() + r.data.contagem_ms;
          var clock = kit.$('#contagemTelaCalculo b', root);
          var timer = setInterval(function () {
            if (!clock.isConnected) { clearInterval(timer); return; }
            clock.textContent = mmss(end - Date.now());
          }, 250);
          function poll(delay) {
            setTimeout(function () {
              app.api('GET', '/api/calculo/' + S.calcId).then(function (p) {
                if (mySeq !== S.seq) return;
                if (p.status === 200 && p.data.estado === 'concluido') {
                  clearInterval(timer);
                  S.result = p.data;
                  app.go(p.data.resultado === 'cotacao_manual' ? 'manual' : 'resultado', { replace: true });
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

    var resultado = {
      fault: null, // reached from screen 15: its faults apply once, to the countdown
      html: function () {
        return '<div class="tela resultado">' + kit.heading('Parabéns, chegamos ao resultado final da cotação!',
          'Confira abaixo os melhores planos elaborados exclusivamente para você') +
          (variant.column ? '<div class="grid grid-cols-[250px_1fr_1fr] grade-resultado" id="gradeResultado"></div>' :
            '<div class="grid grid-cols-1 md:grid-cols-2 grade-resultado sem-rotulos" id="gradeResultado" role="list"></div>') +
          app.helpButton('15', 'gtm-telaResultadoAjuda') + '</div>' + kit.loginDialog('resultado');
      },
      bind: function () {
        var d = S.result;
        var dialog = app.bindLogin(function () {
          if (S.current !== 'resultado') return;
          app.api('GET', '/api/calculo/' + S.calcId).then(function (p) { if (p.status === 200) afterLogin(p.data); });
        });
        if (d.autenticado && d.cpf_divergente) {
          // Logged in before the result with another person's account: placeholders until the choice.
          app.api('GET', '/api/calculo/' + S.calcId, undefined, true).then(function (p) {
            if (p.status !== 200) return;
            S.result = p.data;
            renderPlans();
            afterLogin(d);
          });
          return;
        }
        renderPlans();
        if (!d.autenticado) {
          setTimeout(function () { if (dialog.isConnected) kit.showDialog(dialog, true); }, CFG.login_overlay_ms);
        }
      }
    };

    var manual = {
      fault: null,
      html: function () {
        return '<div class="tela"><p class="text-center text-base font-bold font-workSans">Ops, ainda não encontramos resultados para você</p>' +
          '<p class="text-center text-sm mt-4 text-cinza">Não foi possível efetuar o cálculo nesse momento. O corretor de seguros já foi ' +
          'notificado e logo entrará em contato para te auxiliar a encontrar as melhores opções.</p></div>';
      }
    };

    return { calculo: calculo, resultado: resultado, manual: manual };
  };
})(SP);
