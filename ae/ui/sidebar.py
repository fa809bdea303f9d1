"""The shared sidebar: language, the book's edition, the data set, the model in play, the
architecture.

Drawn by `dashboard.py` before `pg.run()`, so its widgets keep their values on every page.
The architecture is one `AEConfig`: the model's kind (the book's autoencoder or its variational
autoencoder), the layer table's widgets and the second edition's four choices (activation,
padding, output convolution, loss) build it through `ae.model.choices` (the path the tests
take), and `ae.ui.url` mirrors it into the URL, so a teacher can share a link that opens the
same setup. An edition's button (`ae.model.presets`) sets network, data and recipe at once.
"""

from __future__ import annotations

from dataclasses import replace

import streamlit as st

from ae.model import choices, presets
from ae.model.config import ACTIVATIONS, KINDS, LOSSES, AEConfig, ConfigError
from ae.ui import models, state, training_view, url
from ae.ui.i18n import LANG_START, LANGUAGES, language, t, translated_radio

FILTERS = [1, 2, 4, 8, 16, 32, 48, 64, 96, 128, 256]
KERNELS = [1, 2, 3, 4, 5, 6, 7]
STRIDES = [1, 2, 3, 4]
MAX_UI_LAYERS = 6
PADS = [0, 32, 36, 40, 48, 64]  # pad the 28 x 28 input to this side (0: no padding)
START = "sidebar_start_values"  # the architecture widgets' first values (URL, or after Reset)
KIND = "model_kind"  # the kind radio's choice (translated_radio keeps it under this key)
ACT, LOSS = "arch_act", "arch_loss"  # the activation's and the loss's radios (choices, likewise)


def _widget_values(cfg: AEConfig, own_decoder: bool) -> dict:
    """Session-state keys of the architecture widgets for this config (a mirrored decoder's
    rows, hidden behind the toggle, start from the mirror)."""
    dec = choices.decoder_of(cfg)
    v = {"enc_n": cfg.n_encoder_layers, "mirror": not own_decoder, "dec_n": len(dec[0]),
         "z_dim": cfg.z_dim, "bn": cfg.use_batch_norm, "dropout": cfg.use_dropout,
         "pad": cfg.pad_to, "oc": cfg.output_conv}
    for prefix, table in (("enc", choices.encoder_of(cfg)), ("dec", dec)):
        for i, (f, k, s) in enumerate(zip(*table, strict=False)):
            v[f"{prefix}_f{i}"], v[f"{prefix}_k{i}"], v[f"{prefix}_s{i}"] = f, k, s
    return v


def _start(key: str, default, neutral=None):
    """The `value=` of an architecture widget: its start value (from the URL, or the book's)
    on its first draw, then `neutral` (see `state.first_value`)."""
    return state.first_value(key, st.session_state.get(START, {}).get(key, default), neutral)


def _set_architecture(cfg: AEConfig) -> None:
    """The widgets shown take `cfg`'s values (written into st.session_state, so the browser
    shows them too), and rows drawn later start from them; the kind stays."""
    values = _widget_values(cfg, own_decoder=False)
    st.session_state[START] = values
    for key, value in values.items():
        if key in st.session_state:
            st.session_state[key] = value
    _set_choices(cfg)


def _set_choices(cfg: AEConfig) -> None:
    """The activation's and the loss's radios take `cfg`'s (translated_radio reads them)."""
    st.session_state[ACT], st.session_state[LOSS] = cfg.activation, cfg.loss


def _reset_to_book() -> None:
    """The Reset button's callback: the article's architecture."""
    _set_architecture(AEConfig.book())


def _apply_preset(name: str) -> None:
    """An edition's button: its network, its data set and its recipe (the VAE's, when the
    kind is VAE); a model of another data set in play gives way to the edition's shipped one
    of its kind (`models.chooser`)."""
    preset = presets.PRESETS[name]
    _set_architecture(preset.config)
    st.session_state[models.DATA] = preset.dataset
    vae = st.session_state.get(KIND) == "vae"
    training_view.set_recipe(preset.vae_recipe if vae else preset.recipe)


def init_from_url() -> None:
    """Once per session: the URL's settings (or the article's) become the widgets' values.
    Marked done last: a run cut short in here (see `training.adopt_finished`) reads them again."""
    if st.session_state.get("url_read"):
        return
    params = st.query_params.to_dict()
    cfg, own_decoder, notices = url.read_architecture(params)
    st.session_state[models.DATA], data_notices = url.read_data(params)
    notices += data_notices
    lang = params.get("lang", "en")
    if url.choice(lang, list(LANGUAGES)) is None:
        notices.append(f"URL parameter lang={lang[:20]!r} ignored: expected en or zh")
        lang = "en"
    st.session_state[LANG_START] = lang  # the radio's value= (a value written into it flashes)
    st.session_state["url_notices"] = notices
    st.session_state["url_model"] = params.get("model")
    st.session_state[KIND] = cfg.kind  # the radio's choice (translated_radio reads it as index)
    _set_choices(cfg)
    if (preset := url.preset(params)) is not None:  # the link's edition: its recipe too
        training_view.set_recipe(preset.vae_recipe if cfg.is_vae else preset.recipe,
                                 url_wins=True)
    st.session_state[START] = _widget_values(cfg, own_decoder)  # as value=, not into the state
    st.session_state["url_read"] = True


def _pick(label: str, options: list[int], key: str, default: int, first: bool, **kwargs) -> int:
    """One cell of the layer table: labelled in the first row only (the column's header), so
    the rows sit tight and each box keeps the sidebar's width for its number."""
    fallback = default if default in options else options[0]
    if key in st.session_state and st.session_state[key] not in options:
        st.session_state[key] = fallback
    start = st.session_state.get(START, {}).get(key, fallback)
    index = state.first_value(key, options.index(start if start in options else fallback), 0)
    return st.selectbox(label, options, index=index, key=key,
                        label_visibility="visible" if first else "collapsed", **kwargs)


LAYER_COLUMNS = [4, 3, 3]  # filters need room for three digits, kernel and stride for one


def _layer_rows(prefix: str, n: int, defaults: choices.Layers) -> choices.Layers:
    f, k, s = [], [], []
    for i in range(n):
        d = [lst[min(i, len(lst) - 1)] for lst in defaults]
        cols = st.columns(LAYER_COLUMNS, gap="xsmall")
        names = (t("side.filters"), t("side.kernel"), t("side.stride"))
        label = [name if i == 0 else f"{name} ({i + 1})" for name in names]
        with cols[0]:
            f.append(_pick(label[0], FILTERS, f"{prefix}_f{i}", d[0], i == 0))
        with cols[1]:
            k.append(_pick(label[1], KERNELS, f"{prefix}_k{i}", d[1], i == 0))
        with cols[2]:
            s.append(_pick(label[2], STRIDES, f"{prefix}_s{i}", d[2], i == 0))
    return f, k, s


def architecture() -> tuple[AEConfig, bool]:
    """The architecture widgets; returns (the config they show, valid or not; whether the
    decoder is the learner's own rather than the mirror of the encoder)."""
    book = AEConfig.book()
    enc_book, dec_book = choices.encoder_of(book), choices.decoder_of(book)
    kind = translated_radio(t("side.kind"), list(KINDS), KIND, horizontal=True,
                            format_func=lambda k: t(f"side.kind.{k}"), help=t("side.kind.help"))
    with st.expander(t("side.arch"), expanded=False):
        n = st.slider(t("side.layers"), 1, MAX_UI_LAYERS, _start("enc_n", len(enc_book[0])),
                      key="enc_n")
        enc = _layer_rows("enc", n, enc_book)
        mirror = st.toggle(t("side.mirror"), _start("mirror", True, False), key="mirror")
        dec = dec_book
        if not mirror:
            m = st.slider(t("side.dec_layers"), 1, MAX_UI_LAYERS,
                          _start("dec_n", len(dec_book[0])), key="dec_n")
            dec = _layer_rows("dec", m, dec_book)
        z = st.slider(t("side.z_dim"), 1, 16, _start("z_dim", book.z_dim), key="z_dim")
        bn = st.checkbox(t("side.bn"), _start("bn", book.use_batch_norm, False), key="bn")
        dropout = st.checkbox(t("side.dropout"), _start("dropout", book.use_dropout, False),
                              key="dropout")
        ed2 = _second_edition_choices()
        st.button(t("side.reset"), key="side_reset", on_click=_reset_to_book)
    shown = choices.from_layers(enc, None if mirror else dec, z, bn, dropout, validate=False,
                                **ed2)
    return replace(shown, kind=kind), not mirror


def _second_edition_choices() -> dict:
    """The four choices the second edition's network needs: ReLU instead of LeakyReLU, the
    input padded (28 -> 32), a stride-1 output Conv2D after the transposed convolutions, and
    binary cross-entropy instead of the per-image MSE (AEConfig's fields of these names)."""
    act = translated_radio(t("side.act"), list(ACTIVATIONS), ACT, horizontal=True,
                           format_func=lambda a: t(f"side.act.{a}"), help=t("side.act.help"))
    pad = _pick(t("side.pad"), PADS, "pad", 0, True, help=t("side.pad.help"),
                format_func=lambda n: f"{n} × {n}" if n else "—")
    oc = st.checkbox(t("side.oc"), _start("oc", False, False), key="oc", help=t("side.oc.help"))
    loss = translated_radio(t("side.loss"), list(LOSSES), LOSS, horizontal=True,
                            format_func=lambda x: t(f"side.loss.{x}"), help=t("side.loss.help"))
    return {"activation": act, "pad_to": pad, "output_conv": oc, "loss": loss}


def edition_and_data(shown: AEConfig) -> None:
    """The two editions' buttons (the one whose setup this is, highlighted) and the data set
    Start trains on."""
    st.caption(t("side.edition"))
    now = presets.matching(shown, models.data_name())
    for name, preset in presets.PRESETS.items():  # one per row: the labels need the width
        st.button(t(f"side.preset.{name}"), key=f"preset_{name}", on_click=_apply_preset,
                  args=(name,), type="primary" if preset is now else "secondary",
                  help=t(f"side.preset.{name}.help"), width="stretch")
    translated_radio(t("side.data"), list(presets.DATASETS), models.DATA, horizontal=True,
                     format_func=lambda d: t(f"side.data.{d}"), help=t("side.data.help"))


def render() -> None:
    """Draw the sidebar and update the session's state and the URL.

    The architecture is read before the model chooser runs, although it is drawn below it:
    an untrained model put in play (e.g. by a shared link with `model=untrained`) is built
    from `st.session_state["config"]`, which must already be this run's architecture."""
    init_from_url()
    with st.sidebar:
        langs = list(LANGUAGES)
        st.radio(t("lang.label"), langs, format_func=LANGUAGES.get, key="lang", horizontal=True,
                 index=state.first_value("lang", langs.index(language()), 0))
        chooser_slot = st.container()  # drawn above the architecture, filled after it
        shown, own_decoder = architecture()
        try:
            st.session_state["config"] = shown.validate()
            st.session_state["config_error"] = None
        except ConfigError as e:
            st.session_state["config_error"] = str(e)
            st.error(t("side.invalid", msg=e))
        with chooser_slot:
            edition_and_data(shown)
            models.chooser()
        inplay = state.current()
        cfg_ok = st.session_state["config_error"] is None
        if cfg_ok and inplay is not None and st.session_state["config"] != inplay.model.config:
            st.info(t("side.stale"))
        st.caption(t("side.share"))
    query = {**url.architecture_query(shown, own_decoder), "lang": language(),
             "data": models.data_name()}
    matched = presets.matching(shown, models.data_name())
    if matched is not None:
        query["preset"] = matched.name
    elif "preset" in st.query_params:  # a custom setup: the link must not say it is an edition
        del st.query_params["preset"]
    if inplay is not None:
        query["model"] = inplay.origin
    url.write(query)  # pages keep their own keys beside these
