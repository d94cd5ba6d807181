/*
 * Simulated portal, screen 5's pieces: the estimate carousel built as the real one (slides
 * `div[role=group][aria-roledescription=slide]`; each card's title and its "De … até …" range
 * inside `<label><button>…</button></label>`, the amount split over three spans; "Principais
 * Benefícios" a `<button><label>`; each benefit an ok/nok icon and a <p>; "Previous slide" /
 * "Next slide" arrows), its skeleton while the lookup runs, and the "continuar depois" drawer
 * that the screen keeps hidden in its DOM.
 */
(function (kit) {
  'use strict';

  var esc = kit.esc;

  /* "R$" / "&nbsp;1.200" / ",00" in one span each, inside the amount's span. */
  function amount(reais) {
    var s = String(reais).replace(/\B(?=(\d{3})+(?!\d))/g, '.');
    return '<span class="valor-faixa"><span class="moeda">R$</span><span>&nbsp;' + s + '</span><span class="moeda">,00</span></span>';
  }

  /* A benefit: `b` is its name (included) or {nome, incluido}. */
  function benefit(b) {
    var name = typeof b === 'string' ? b : b.nome;
    var ok = typeof b === 'string' || b.incluido !== false;
    return '<div class="beneficio">' + (ok ? '<img alt="Icone de OK" src="/icone-ok.svg" width="20" height="20">'
      : '<img alt="Icone de NOK" src="/icone-nok.svg" width="20" height="20">') + '<p class="text-sm">' + esc(name) + '</p></div>';
  }

  kit.estimateCard = function (c) {
    return '<div class="cartao-estimativa border-2 border-primary rounded-xl">' +
      '<div class="bg-primary cabecalho-cartao"><div class="flex items-center gap-2"><label class="rotulo-cartao">' +
      '<button class="botao-conteudo"><p class="text-white underline">Cobertura <b>' + esc(c.nome) + '</b></p></button></label></div></div>' +
      '<div class="faixa-cartao"><div class="flex flex-col items-center"><div class="flex"><div class="flex flex-col">' +
      '<label class="rotulo-faixa"><button class="botao-conteudo"><p class="text-primary underline faixa">De ' + amount(c.de) +
      ' até ' + amount(c.ate) + '</p></button></label></div></div>' +
      '<div class="text-primary text-xs font-bold">com possibilidade de parcelamento sem juros</div></div></div>' +
      '<div class="beneficios-cartao"><div class="flex flex-col pl-4"><div class="flex items-center gap-1">' +
      '<button class="botao-conteudo"><label class="titulo-beneficios underline">Principais Benefícios</label></button></div></div>' +
      '<div class="gap-3 flex flex-col pl-4 mt-3">' + c.beneficios.map(benefit).join('') + '</div></div></div>';
  };

  kit.skeletonCard = function () {
    return '<div class="cartao-estimativa border-2 border-primary rounded-xl"><div class="bg-primary cabecalho-cartao">' +
      '<span class="MuiSkeleton-root MuiSkeleton-text MuiSkeleton-pulse"></span></div><div class="faixa-cartao">' +
      '<span class="MuiSkeleton-root MuiSkeleton-text MuiSkeleton-pulse"></span>' +
      '<span class="MuiSkeleton-root MuiSkeleton-rectangular MuiSkeleton-pulse"></span></div></div>';
  };

  var LEFT = kit.lineIcon(24, '<path d="M19 12H5M11 18l-6-6 6-6"/>');
  var RIGHT = kit.lineIcon(24, kit.ARROW_RIGHT);

  /* One slide at a time; the arrows' names are screen-reader text. */
  kit.carousel = function (cards) {
    return '<div role="region" aria-roledescription="carousel" class="carrossel"><div class="overflow-hidden">' +
      '<div class="carrossel-trilho">' + cards.map(function (c) {
        return '<div role="group" aria-roledescription="slide" class="carrossel-slide">' + c + '</div>';
      }).join('') + '</div></div>' +
      '<button class="seta-carrossel seta-anterior" disabled>' + LEFT + '<span class="sr-only">Previous slide</span></button>' +
      '<button class="seta-carrossel seta-proxima">' + RIGHT + '<span class="sr-only">Next slide</span></button></div>';
  };

  kit.bindCarousel = function (root) {
    var track = kit.$('.carrossel-trilho', root);
    if (!track) return;
    var prev = kit.$('.seta-anterior', root);
    var next = kit.$('.seta-proxima', root);
    var pos = 0;
    function move(d) {
      var n = track.children.length;
      pos = Math.max(0, Math.min(n - 1, pos + d));
      track.style.transform = 'translateX(' + (-100 * pos) + '%)';
      prev.disabled = pos === 0;
      next.disabled = pos === n - 1;
    }
    prev.addEventListener('click', function () { move(-1); });
    next.addEventListener('click', function () { move(1); });
    move(0);
  };

  var LATER_REASONS = [['valorParcial', 'Gostaria de verificar apenas o valor parcial'], ['agoraNao', 'Não quero contratar agora'],
    ['pensarMelhor', 'Prefiro pensar melhor'], ['preencherDepois', 'Quero preencher as informações depois'],
    ['outrasSeguradoras', 'Quero comparar com outras seguradoras'], ['outro', 'Outro']];

  /* The "continuar depois" drawer: mounted hidden, a bottom sheet with its own form. */
  kit.laterDrawer = function () {
    return '<div class="MuiBackdrop-root fundo-modal gaveta-fundo" aria-hidden="true" style="opacity:0;visibility:hidden">' +
      '<div class="gaveta"><div class="gaveta-fechar"><button tabindex="0" type="button" class="MuiButtonBase-root MuiButton-root botao-icone" ' +
      'id="gtm-telaEstimativaAgoraNaoFechar"><img alt="Icone de fechar aba" src="/fechar.svg" width="20" height="20"></button></div>' +
      '<form class="gaveta-form" novalidate>' + kit.heading('Nos diga porquê prefere continuar depois') +
      kit.radioGroup('continuarDepoisTelaContinuarDepois', LATER_REASONS, 'valorParcial', { plain: true }) +
      kit.textField('emailTelaContinuarDepois', 'email', 'E-mail (opcional)', { placeholder: 'seu@email.com' }) +
      kit.textField('celularTelaContinuarDepois', 'phone', 'Celular (opcional)', { placeholder: '(11) 98765-4321' }) +
      '<div class="linha-centro"><button type="submit" class="botao botao-primario" id="gtm-telaEstimativaAgoraNaoEnviar"><p class="' +
      kit.P_CONTINUAR + '">ENVIAR</p></button></div></form></div></div>';
  };

  /* Opens the drawer (from Voltar); × closes it; ENVIAR checks the optional contact and closes it. */
  kit.bindLaterDrawer = function (root) {
    var drawer = kit.$('.gaveta-fundo', root);
    kit.bindMask('celularTelaContinuarDepois', kit.maskPhone);
    kit.$('#gtm-telaEstimativaAgoraNaoFechar', root).addEventListener('click', function () { kit.showDialog(drawer, false); });
    kit.$('.gaveta-form', root).addEventListener('submit', function (e) {
      e.preventDefault();
      var email = document.getElementById('emailTelaContinuarDepois').value.trim();
      var cel = kit.digits(document.getElementById('celularTelaContinuarDepois').value);
      var emailOk = !email || /^[A-Z0-9._%+-]+@[A-Z0-9.-]+\.[A-Z]{2,}$/i.test(email);
      var celOk = !cel || cel.length === 11;
      kit.setError('emailTelaContinuarDepois', emailOk ? null : 'E-mail inválido.');
      kit.setError('celularTelaContinuarDepois', celOk ? null : 'Celular inválido. Informe o DDD e o número.');
      if (!emailOk || !celOk) return;
      kit.showDialog(drawer, false);
      kit.snackbar('Obrigado! Vamos te lembrar de continuar a cotação.');
    });
    return function open() { kit.showDialog(drawer, true); };
  };
})(SP);
