"""Architecture: the encoder and decoder as Keras summaries that follow the sidebar, the
feature maps shrinking and growing, what stride 2 does, and one layer's parameter count."""

import streamlit as st

from ae.analysis import featuremaps
from ae.model import kinds
from ae.model.config import AEConfig
from ae.model.summary import Table, summary
from ae.plots import architecture as figs
from ae.ui import classes, header, plain, state, t, url
from ae.ui.figures import show_code

inplay, ds = header("architecture")
cfg, err = st.session_state.get("config"), st.session_state.get("config_error")


def texts(group: str, defaults: dict) -> dict:
    """The figure builder's texts in the session's language (keys architecture.<group>.*)."""
    return {k: t(f"architecture.{group}.{k}") for k in defaults}


@st.cache_data(max_entries=64, show_spinner=False)
def network(cfg_json: str) -> tuple[tuple[Table, Table], list[featuremaps.ParamCount]]:
    """Summaries and per-layer counts of one network (either kind), built once per config."""
    model = kinds.build(AEConfig.from_json(cfg_json)).eval()
    return summary(model), featuremaps.param_counts(model)


def keras_table(table: Table) -> None:
    st.markdown(f"**{t('architecture.table.' + table.title)}**")
    rows = [{**r, "Param #": f"{r['Param #']:,}"} for r in table.records()]
    plain.records_table(rows, right=["Param #"], keep=["Output Shape", "Param #"])
    st.markdown(t("architecture.totals", total=table.total, trainable=table.trainable,
                  frozen=table.non_trainable))
    if (box := plain.lazy_expander(t("architecture.keras"), f"keras:{table.title}")) is not None:
        with box:
            st.code(str(table), language=None)


# -- the summaries: built from the sidebar's config (cheap), never from a stale model
st.subheader(t("architecture.summary.h"))
counts = []
if err or cfg is None:
    st.error(t("architecture.invalid", msg=err or "?"), icon="🚫")
else:
    (enc, dec), counts = network(cfg.to_json())
    st.caption(t("architecture.summary.note"))
    if cfg.is_vae:  # the two heads and the sampling layer: what makes the patch fuzzy
        st.info(t("architecture.vae", z=cfg.z_dim))
    for col, table in zip(st.columns(2), (enc, dec), strict=True):
        with col:
            keras_table(table)
    st.success(t("architecture.whole", enc=enc.total, dec=dec.total, total=enc.total + dec.total))
    onoff = {True: t("architecture.on"), False: t("architecture.off")}
    st.caption(t("architecture.bn_dropout", bn=onoff[cfg.use_batch_norm],
                 do=onoff[cfg.use_dropout], act=t(f"side.act.{cfg.activation}")))
    show_code(summary)

    st.subheader(t("architecture.blocks.h"))
    stages = featuremaps.stages(cfg)
    st.plotly_chart(figs.blocks_figure(stages, texts=texts("blocks", figs.BLOCKS_TEXTS)),
                    key="arch_blocks", config={"displayModeBar": False})
    st.caption(t("architecture.blocks.caption", n_in=stages[0].size, z=cfg.z_dim))

# -- what stride 2 does: a sliding kernel, then a real digit through the model in play
st.subheader(t("architecture.stride.h"))
left, right = st.columns([5, 6])
with left:
    st.markdown(t("architecture.stride.text"))
    slides = [featuremaps.slide(8, 3, s) for s in (1, 2)]
    st.plotly_chart(figs.stride_figure(slides, texts=texts("slide", figs.SLIDE_TEXTS)),
                    key="arch_slide", config={"displayModeBar": False})
with right:
    st.markdown(f"**{t('architecture.maps.h')}**")
    linked = url.int_in(url.get("ai"), 0, len(ds.x_test) - 1)  # a shared link's image
    i = st.number_input(t("architecture.maps.pick"), 0, len(ds.x_test) - 1, key="arch_img",
                        value=state.first_value("arch_img", linked or 0, "min"))
    url.write({"ai": str(i)})
    picture, layers = featuremaps.feature_maps(inplay.model, ds.x_test[i])  # two convs: cheap
    st.plotly_chart(figs.feature_maps_figure(picture, layers, texts=texts("maps", figs.MAPS_TEXTS)),
                    key="arch_maps", config={"displayModeBar": False})
    st.caption(t("architecture.maps.caption", i=i, label=classes.name(ds.name, ds.y_test[i]),
                 n=len(layers)))
    if inplay.origin == "untrained":
        st.info(t("architecture.maps.untrained"))
show_code(featuremaps.feature_maps, featuremaps.slide)

# -- one layer's parameters, counted by hand
if counts:
    st.subheader(t("architecture.params.h"))
    by_name = {pc.name: pc for pc in counts}
    names = list(by_name)
    first = names.index("encoder_conv_1") if "encoder_conv_1" in names else 0
    if st.session_state.get("arch_layer", names[first]) not in names:  # the config changed
        st.session_state["arch_layer"] = names[first]
    pc = by_name[st.selectbox(t("architecture.params.pick"), names, key="arch_layer",
                              index=state.first_value("arch_layer", first, 0))]
    st.markdown(t(f"architecture.params.{pc.kind}", name=pc.name, k=pc.k, c_in=pc.c_in,
                  c_out=pc.c_out, weights=pc.weights, biases=pc.biases,
                  non_trainable=pc.non_trainable, total=pc.total))
